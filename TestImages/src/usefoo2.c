/* Needs foo_v2, which only libfoo v2 defines; linked with -z now, so the loader binds it at
 * start and a libfoo v1 in the image fails before main. */
#include <stdio.h>

int foo_v2(void);

int main(void) {
    puts("IMAGEAUDIT-TEST-STARTED");
    return foo_v2() == 2 ? 0 : 1;
}
