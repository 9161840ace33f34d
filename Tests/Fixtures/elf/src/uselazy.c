/* Calls bar only when given an argument: with lazy binding a missing bar fails late. */
#include <stdio.h>
int foo(void);
int bar(void);
int main(int argc, char **argv) { (void)argv; if (argc > 1) return bar(); puts("started"); return foo() - 1; }
