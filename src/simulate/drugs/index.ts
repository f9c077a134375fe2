// Public API of simulate/drugs; filled as the module lands.
export {};
