/* Reads a data symbol: a copy/GLOB_DAT relocation processed at start even without BIND_NOW. */
#include <stdio.h>
extern int data_sym;
int main(void) { puts("started"); return data_sym - 5; }
