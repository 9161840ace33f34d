#ifndef IMAGEAUDIT_CISAL_SHIM_H
#define IMAGEAUDIT_CISAL_SHIM_H
/* ISA-L's inflate (Debian: libisal-dev). Only the gzip decoder is used. */
#include <isa-l/igzip_lib.h>
/* For the version --version prints (the headers built against). */
#include <isa-l.h>
static const int CISAL_VERSION_MAJOR = ISAL_MAJOR_VERSION;
static const int CISAL_VERSION_MINOR = ISAL_MINOR_VERSION;
static const int CISAL_VERSION_PATCH = ISAL_PATCH_VERSION;
#endif
