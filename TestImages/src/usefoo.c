/* Needs libfoo.so.1 (DT_NEEDED); where the loader finds it is what each image tests. */
#include <stdio.h>

int foo(void);

int main(void) {
    puts("IMAGEAUDIT-TEST-STARTED");
    return foo() == 1 ? 0 : 1;
}
