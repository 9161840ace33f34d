/* Built with -D_FORTIFY_SOURCE=2 against glibc, printf becomes __printf_chk: a glibc-only
 * symbol that musl's loader cannot bind ("Error relocating ...: __printf_chk: symbol not found"). */
#include <stdio.h>

int main(int argc, char **argv) {
    printf("IMAGEAUDIT-TEST-STARTED %s %d\n", argv[0], argc);
    return 0;
}
