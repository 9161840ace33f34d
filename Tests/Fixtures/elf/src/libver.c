/* One library, several builds of libver.so.1: FOO_1 only (old), FOO_1 and FOO_2 (new), FOO_2 without bar (nobar). */
int foo(void) { return 1; }
#ifdef NEW
int bar(void) { return 2; }
int data_sym = 5;
#endif
#ifdef NOBAR
int baz(void) { return 3; }
#endif
