// Public API of simulate/lv; filled as the module lands.
export {};
