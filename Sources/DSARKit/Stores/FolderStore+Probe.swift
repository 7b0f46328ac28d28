import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What is at a path of a folder store, asked of the file system directly so that a real
/// error (permission denied, I/O error, a link loop, a file where a folder should be) is
/// never mistaken for "nothing there".
enum FolderEntry: Equatable {
    case file(size: Int64)
    case folder
    /// Nothing at the path (or a symbolic link to nothing).
    case missing
    /// Something that is neither a regular file nor a folder (a FIFO, a socket, a device).
    case other

    /// The entry at `path`, following symbolic links. Throws ``DSARError/Code/unreadable``
    /// for any error but "no such file", naming the store (never the path: it may hold a
    /// phone number).
    static func probe(_ path: String, store: String) throws -> FolderEntry {
        var status = stat()
        guard stat(path, &status) == 0 else {
            let code = errno
            if code == ENOENT { return .missing }
            throw DSARError(.unreadable, "a file or folder of store '\(store)' cannot be read (\(String(cString: strerror(code))))",
                            location: store)
        }
        switch status.st_mode & S_IFMT {
        case S_IFREG: return .file(size: Int64(status.st_size))
        case S_IFDIR: return .folder
        default: return .other
        }
    }
}
