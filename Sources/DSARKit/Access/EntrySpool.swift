import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Where a package's generated entries (the page, each collection's JSON and CSV, the manifest)
/// are written once, before the archive needs their sizes (a tar header comes before its data).
///
/// One temporary file for all entries, created `0600` next to the package and unlinked at once,
/// so nothing with personal data is left on disk if the process dies; it is closed with the
/// spool. Entries are written interleaved (the page, the JSON and the CSV of a collection grow
/// together from one read of its records), so each entry is the list of byte ranges it was given.
final class EntrySpool {
    private let descriptor: Int32
    private var end: Int64 = 0

    /// Creates the spool in `directory`.
    init(in directory: URL) throws {
        var template = Array(directory.appendingPathComponent(".dsar-spool-XXXXXX").path.utf8CString)
        let descriptor = mkstemp(&template)
        guard descriptor >= 0 else {
            throw DSARError(.archiveFailure, "a temporary file for the package could not be created (\(Self.reason(errno)))",
                            location: directory.path)
        }
        unlink(template)
        self.descriptor = descriptor
    }

    deinit { close(descriptor) }

    /// A new, empty entry. `label` names it in errors.
    func entry(label: String) -> EntrySink { EntrySink(label: label, spool: self) }

    /// Appends `bytes` to the file; returns where they start.
    fileprivate func append(_ bytes: UnsafeRawBufferPointer, label: String) throws -> Int64 {
        let start = end
        var offset = 0
        while offset < bytes.count {
            let written = pwrite(descriptor, bytes.baseAddress! + offset, bytes.count - offset, off_t(end))
            if written < 0, errno == EINTR { continue }
            guard written > 0 else {
                throw DSARError(.archiveFailure, "the package's temporary file could not be written (\(Self.reason(errno)))",
                                location: label)
            }
            offset += written
            end += Int64(written)
        }
        return start
    }

    /// Copies `entry` into the archive's open entry, `chunkSize` bytes at a time.
    func copy(_ entry: EntrySink, into archive: ArchiveWriter, chunkSize: Int) throws {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize, alignment: 16)
        defer { buffer.deallocate() }
        for range in entry.ranges {
            var position = range.offset
            let stop = range.offset + range.length
            while position < stop {
                let wanted = Int(min(Int64(chunkSize), stop - position))
                let got = pread(descriptor, buffer.baseAddress!, wanted, off_t(position))
                if got < 0, errno == EINTR { continue }
                guard got > 0 else {
                    throw DSARError(.archiveFailure, "the package's temporary file could not be read (\(Self.reason(errno)))",
                                    location: entry.label)
                }
                try archive.write(UnsafeRawBufferPointer(rebasing: buffer[..<got]))
                position += Int64(got)
            }
        }
    }

    private static func reason(_ code: Int32) -> String { String(cString: strerror(code)) }
}

/// One generated entry being written into an ``EntrySpool``: its size is known when it is done.
final class EntrySink {
    let label: String
    private let spool: EntrySpool
    private(set) var ranges: [(offset: Int64, length: Int64)] = []
    private(set) var count: Int64 = 0

    fileprivate init(label: String, spool: EntrySpool) {
        self.label = label
        self.spool = spool
    }

    func write(_ text: String) throws {
        var text = text
        guard !text.isEmpty else { return }
        let start = try text.withUTF8 { try spool.append(UnsafeRawBufferPointer($0), label: label) }
        let size = Int64(text.utf8.count)
        if let last = ranges.last, last.offset + last.length == start {
            ranges[ranges.count - 1].length += size
        } else {
            ranges.append((start, size))
        }
        count += size
    }
}
