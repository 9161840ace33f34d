/* One library, two builds: libver.so.1 with FOO_1 only (old) or with FOO_1 and FOO_2 (new). */
int foo(void) { return 1; }
#ifdef NEW
int bar(void) { return 2; }
int data_sym = 5;
#endif
