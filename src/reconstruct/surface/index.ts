// Public API of reconstruct/surface; filled as the module lands.
export {};
