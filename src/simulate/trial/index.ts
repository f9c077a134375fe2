// Public API of simulate/trial; filled as the module lands.
export {};
