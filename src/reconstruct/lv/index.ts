// Public API of reconstruct/lv; filled as the module lands.
export {};
