// Public API of simulate/vessels; filled as the module lands.
export {};
