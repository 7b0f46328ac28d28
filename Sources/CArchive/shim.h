#ifndef DSARKIT_CARCHIVE_SHIM_H
#define DSARKIT_CARCHIVE_SHIM_H

#include <archive.h>
#include <archive_entry.h>
#include <sys/stat.h>

/* Swift does not import the AE_IF* macros. */
static inline unsigned int dsar_archive_regular_file_type(void) { return AE_IFREG; }
static inline unsigned int dsar_archive_directory_type(void) { return AE_IFDIR; }

#endif
