import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Files that hold secrets or identifiers (keys, the audit anchor, erasure plans, cover
/// letters): readable and writable by their owner only from their first byte. They are
/// created by open(2) with `O_EXCL` and mode 0600, never created wider and narrowed after,
/// whatever the folder's permissions.
public enum PrivateFile {
    /// Creates `url` holding `data`; fails if something exists there.
    public static func create(_ data: Data, at url: URL) throws {
        let descriptor = open(url.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        var failure: Int32?
        data.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Glibc.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                    return
                }
                offset += written
            }
        }
        if failure == nil, fsync(descriptor) != 0 { failure = errno }
        close(descriptor)
        if let failure {
            unlink(url.path)
            throw POSIXError(POSIXErrorCode(rawValue: failure) ?? .EIO)
        }
    }

    /// Writes `data` to `url`, replacing what is there: an owner-only file is written beside
    /// it and renamed into place, so the name never holds a wider or half-written file.
    public static func write(_ data: Data, to url: URL) throws {
        let temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString.prefix(8))")
        try create(data, at: temporary)
        guard rename(temporary.path, url.path) == 0 else {
            let failure = errno
            unlink(temporary.path)
            throw POSIXError(POSIXErrorCode(rawValue: failure) ?? .EIO)
        }
    }

    /// Narrows an existing folder to its owner (0700); a folder DSARKit creates is made so.
    static func restrictFolder(_ folder: URL) {
        var status = stat()
        if stat(folder.path, &status) == 0, status.st_mode & 0o077 != 0 { chmod(folder.path, 0o700) }
    }
}
