import CArchive
import Crypto
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Where libarchive's output goes: a file descriptor, hashed and counted on the way
/// (the package's SHA-256 without reading it back).
///
/// The package hash runs on a serial queue of its own, so hashing overlaps with reading,
/// archiving and writing on a second core; at most 16 buffers wait for it.
final class ArchiveOutput {
    let descriptor: Int32
    private let hashing = DispatchQueue(label: "dsar.package-sha256")
    private let waiting = DispatchSemaphore(value: 16)
    private let hash = PackageHash()
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
        let copy = Data(buffer)
        waiting.wait()
        hashing.async { [hash, waiting] in
            hash.hasher.update(data: copy)
            waiting.signal()
        }
        bytesWritten += Int64(buffer.count)
        return buffer.count
    }

    /// Opens `archive` on this output (`archive_write_open2`); the output must outlive the archive.
    func open(_ archive: OpaquePointer) -> Int32 {
        // Without this, libarchive pads the last block to 10 KiB, which breaks tar.zst.
        archive_write_set_bytes_in_last_block(archive, 1)
        // 256 KiB per callback instead of 10 KiB: 25 times fewer copies and hand-offs to the
        // hashing queue; with at most 16 waiting, 4 MiB in flight.
        archive_write_set_bytes_per_block(archive, 256 * 1024)
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

    /// Waits for the hashing queue to catch up, then gives the package's SHA-256.
    var sha256: String {
        hashing.sync { hash.hasher.finalize().hex }
    }
}

/// The running package hash. Only ever touched on `ArchiveOutput`'s serial hashing queue,
/// which is what makes sharing it across that queue sound.
private final class PackageHash: @unchecked Sendable {
    var hasher = SHA256()
}
