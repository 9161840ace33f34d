/* libdep.so needs libleaf.so: used to test RPATH inheritance versus RUNPATH. */
int leaf(void);
int dep(void) { return leaf(); }
