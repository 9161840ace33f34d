/* Needs foo@FOO_1 and bar@FOO_2 from libver.so.1. */
int foo(void);
int bar(void);
int main(void) { return foo() + bar() - 3; }
