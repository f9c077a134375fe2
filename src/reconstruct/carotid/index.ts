// Public API of reconstruct/carotid; filled as the module lands.
export {};
