import CArchive
#if canImport(Glibc)
import Glibc
#endif

/// Runs libarchive calls under a UTF-8 `LC_CTYPE` on the calling thread only.
///
/// libarchive converts entry names with the thread's locale. A Swift process starts in the C
/// locale, where non-ASCII names crash the pax writer (libarchive 3.6.2), zip entries lose the
/// UTF-8 flag and names read back as nil. `uselocale` changes only the current thread, and the
/// previous locale is restored before returning, so a library never touches the process's locale.
enum ArchiveLocale {
    nonisolated(unsafe) private static let utf8 = dsar_new_utf8_ctype_locale()

    static func withUTF8<T>(_ body: () throws -> T) rethrows -> T {
        guard let utf8 else { return try body() }
        let previous = uselocale(utf8)
        defer { uselocale(previous) }
        return try body()
    }
}
