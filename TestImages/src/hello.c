/* Prints the oracle's marker: reaching this line means exec and the loader succeeded. */
#include <stdio.h>

int main(void) {
    puts("IMAGEAUDIT-TEST-STARTED");
    return 0;
}
