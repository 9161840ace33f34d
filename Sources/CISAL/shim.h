#ifndef IMAGEAUDIT_CISAL_SHIM_H
#define IMAGEAUDIT_CISAL_SHIM_H
/* ISA-L's inflate (Debian: libisal-dev). Only the gzip decoder is used. */
#include <isa-l/igzip_lib.h>
#endif
