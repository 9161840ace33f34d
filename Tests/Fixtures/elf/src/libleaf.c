int leaf(void) { return 0; }
