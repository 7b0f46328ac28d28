#ifndef DSARKIT_CARCHIVE_SHIM_H
#define DSARKIT_CARCHIVE_SHIM_H

#include <archive.h>
#include <archive_entry.h>
#include <locale.h>
#include <sys/stat.h>

/* Swift does not import the AE_IF* macros. */
static inline unsigned int dsar_archive_regular_file_type(void) { return AE_IFREG; }
static inline unsigned int dsar_archive_directory_type(void) { return AE_IFDIR; }

/* A C.UTF-8 LC_CTYPE locale for uselocale(): libarchive converts names with the calling
   thread's locale, and a Swift process starts in the C locale. NULL if unavailable. */
static inline locale_t dsar_new_utf8_ctype_locale(void) {
    locale_t locale = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
    if (locale == (locale_t)0) locale = newlocale(LC_CTYPE_MASK, "en_US.UTF-8", (locale_t)0);
    return locale;
}

/* archive_set_error is variadic, which Swift cannot call. */
static inline void dsar_archive_set_error(struct archive *a, int number, const char *message) {
    archive_set_error(a, number, "%s", message);
}

#endif
