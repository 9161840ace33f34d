/* libfoo.so.1, version 1 (built -DLIBFOO_V2 it also has foo_v2; -DLIBFOO_BAR it calls libbar). */
#ifdef LIBFOO_BAR
int bar(void);
int foo(void) { return bar() - 1; }
#else
int foo(void) { return 1; }
#endif
#ifdef LIBFOO_V2
int foo_v2(void) { return 2; }
#endif
