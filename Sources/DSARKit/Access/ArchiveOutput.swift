import CArchive
import Crypto
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Where libarchive's output goes: a file descriptor, hashed and counted on the way
/// (the package's SHA-256 without reading it back).
final class ArchiveOutput {
    let descriptor: Int32
    private(set) var hasher = SHA256()
    private(set) var bytesWritten: Int64 = 0
    /// The errno of the first failed write (28: no space left on device).
    private(set) var failure: Int32?

    init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    /// Writes all of `buffer`, retrying interrupted and partial writes. -1 on failure.
    func write(_ buffer: UnsafeRawBufferPointer) -> Int {
        var offset = 0
        while offset < buffer.count {
            let written = Glibc.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                failure = errno
                return -1
            }
            offset += written
        }
        hasher.update(bufferPointer: buffer)
        bytesWritten += Int64(buffer.count)
        return buffer.count
    }

    /// Opens `archive` on this output (`archive_write_open2`); the output must outlive the archive.
    func open(_ archive: OpaquePointer) -> Int32 {
        // Without this, libarchive pads the last block to 10 KiB, which breaks tar.zst.
        archive_write_set_bytes_in_last_block(archive, 1)
        let client = Unmanaged.passUnretained(self).toOpaque()
        return archive_write_open2(archive, client, nil, { archive, client, buffer, length in
            guard let client, let buffer else { return -1 }
            let output = Unmanaged<ArchiveOutput>.fromOpaque(client).takeUnretainedValue()
            let result = output.write(UnsafeRawBufferPointer(start: buffer, count: length))
            if result < 0, let archive {
                dsar_archive_set_error(archive, output.failure ?? EIO, String(cString: strerror(output.failure ?? EIO)))
            }
            return result
        }, nil, nil)
    }

    var sha256: String {
        hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }
}
