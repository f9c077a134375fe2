// Public API of reconstruct/fe; filled as the module lands.
export {};
