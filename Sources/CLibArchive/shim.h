#ifndef IMAGEAUDIT_CLIBARCHIVE_SHIM_H
#define IMAGEAUDIT_CLIBARCHIVE_SHIM_H
#include <archive.h>
#include <archive_entry.h>

/* AE_IF* are cast macros ((__LA_MODE_T)0100000) that Swift cannot import. */
static const unsigned int CLA_AE_IFMT = AE_IFMT;
static const unsigned int CLA_AE_IFREG = AE_IFREG;
static const unsigned int CLA_AE_IFDIR = AE_IFDIR;
static const unsigned int CLA_AE_IFLNK = AE_IFLNK;
static const unsigned int CLA_AE_IFCHR = AE_IFCHR;
static const unsigned int CLA_AE_IFBLK = AE_IFBLK;
static const unsigned int CLA_AE_IFIFO = AE_IFIFO;
static const unsigned int CLA_AE_IFSOCK = AE_IFSOCK;
#endif
