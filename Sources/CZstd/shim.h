#ifndef IMAGEAUDIT_CZSTD_SHIM_H
#define IMAGEAUDIT_CZSTD_SHIM_H
/* libzstd's streaming decoder (Debian: libzstd-dev), called directly so zstd layers skip
   libarchive's raw-format copy (docs/performance.md). */
#include <zstd.h>
#endif
