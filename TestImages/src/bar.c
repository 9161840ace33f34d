/* libbar.so.1: a dependency of libfoo (the RUNPATH-is-not-inherited case). */
int bar(void) { return 2; }
