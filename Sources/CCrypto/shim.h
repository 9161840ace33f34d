#ifndef IMAGEAUDIT_CCRYPTO_SHIM_H
#define IMAGEAUDIT_CCRYPTO_SHIM_H
/* Only SHA-256 is used: blob digests and diff_ids. */
#include <openssl/evp.h>
#endif
