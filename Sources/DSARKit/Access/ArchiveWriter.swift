import CArchive
import Crypto
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One archive being written through libarchive, owned by one task.
///
/// The archive goes to a temporary file (mode 0600) next to the destination and is moved there
/// only by ``finish()``. Every failure path calls `archive_write_fail`, so libarchive never writes
/// a valid-looking end onto a half-written archive, and removes the temporary file. Every entry
/// is checked: exactly its declared size must be written.
final class ArchiveWriter {
    /// An entry as written: its path, size and SHA-256.
    struct WrittenEntry: Sendable, Hashable {
        var path: String
        var size: Int64
        var sha256: String
    }

    private struct OpenEntry {
        var path: String
        var label: String
        var declaredSize: Int64
        var written: Int64 = 0
    }

    let format: PackageFormat
    let destination: URL
    let temporary: URL
    private let overwrite: Bool
    private var archive: OpaquePointer?
    private let output: ArchiveOutput
    private var entry: OpenEntry?
    /// The open entry's SHA-256, computed on a queue of its own while the same bytes are
    /// archived and written: on two cores the per-file hash costs no wall time.
    private let entryHash = EntryHash()
    private let entryHashing = DispatchQueue(label: "dsar.entry-sha256")

    /// Creates the temporary file and opens the archive on it.
    init(format: PackageFormat, passphrase: Passphrase?, destination: URL, overwrite: Bool) throws {
        if passphrase != nil, !format.supportsEncryption {
            throw DSARError(.invalidRequest, "\(format) packages cannot be encrypted")
        }
        if !overwrite, FileManager.default.fileExists(atPath: destination.path) {
            throw DSARError(.outputExists, "the output file already exists; choose another name or allow overwriting",
                            location: destination.lastPathComponent)
        }
        self.format = format
        self.destination = destination
        self.overwrite = overwrite
        let suffix = String(UInt64.random(in: 0...UInt64.max), radix: 36)
        temporary = destination.deletingLastPathComponent()
            .appendingPathComponent(".\(destination.lastPathComponent).\(suffix).partial")
        let descriptor = Glibc.open(temporary.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw DSARError(.archiveFailure, "the package file could not be created: \(String(cString: strerror(errno)))",
                            location: destination.deletingLastPathComponent().path)
        }
        output = ArchiveOutput(descriptor: descriptor)
        archive = archive_write_new()
        do {
            try configure(passphrase: passphrase)
            try check(ArchiveLocale.withUTF8 { output.open(archive!) }, "opening the package")
        } catch {
            abandon()
            throw error
        }
    }

    deinit {
        if archive != nil { abandon() }
    }

    private func configure(passphrase: Passphrase?) throws {
        guard let archive else { return }
        switch format {
        case .zip:
            try check(archive_write_set_format_zip(archive), "choosing the zip format")
            if let passphrase {
                try check(archive_write_set_options(archive, "zip:encryption=aes256"), "choosing AES-256 encryption")
                try check(archive_write_set_passphrase(archive, passphrase.value), "setting the passphrase")
            }
        case .tarGzip, .tarZstd:
            // ustar where it can, pax headers for long or non-ASCII names (UTF-8).
            try check(archive_write_set_format_pax_restricted(archive), "choosing the tar format")
            if format == .tarGzip {
                try check(archive_write_add_filter_gzip(archive), "choosing gzip compression")
                // No time stamp in the gzip header: the same request gives the same bytes.
                _ = archive_write_set_filter_option(archive, "gzip", "timestamp", nil)
            } else {
                try check(archive_write_add_filter_zstd(archive), "choosing zstd compression")
            }
        }
    }

    /// Starts an entry of exactly `size` bytes. `label` names it in errors (store/collection/key,
    /// never a path that may hold personal data). `compress` is ignored by tar formats (the whole
    /// stream is compressed).
    func beginEntry(path: String, size: Int64, modified: Date, compress: Bool, label: String) throws {
        guard let archive, entry == nil else { throw misuse() }
        let header = archive_entry_new()
        defer { archive_entry_free(header) }
        archive_entry_set_pathname_utf8(header, path)
        archive_entry_set_filetype(header, dsar_archive_regular_file_type())
        archive_entry_set_perm(header, 0o644)
        archive_entry_set_size(header, size)
        archive_entry_set_mtime(header, time_t(modified.timeIntervalSince1970.rounded(.down)), 0)
        if format == .zip {
            _ = compress ? archive_write_zip_set_compression_deflate(archive) : archive_write_zip_set_compression_store(archive)
        }
        try check(ArchiveLocale.withUTF8 { archive_write_header(archive, header) }, "starting an entry", label: label)
        entry = OpenEntry(path: path, label: label, declaredSize: size)
        entryHashing.sync { entryHash.hasher = SHA256() }
    }

    /// Appends bytes to the open entry; more than its declared size is refused.
    func write(_ bytes: UnsafeRawBufferPointer) throws {
        guard let archive, var current = entry else { throw misuse() }
        guard current.written + Int64(bytes.count) <= current.declaredSize else {
            throw fail(DSARError(.archiveFailure, "a file grew while it was copied (expected \(current.declaredSize) bytes)",
                                 location: current.label))
        }
        // Hash on the second core while libarchive takes the same bytes; both only read them,
        // and the buffer outlives both because this function waits for the hash before returning.
        let hashed = DispatchGroup()
        nonisolated(unsafe) let shared = bytes
        let entryHash = self.entryHash
        entryHashing.async(group: hashed) { entryHash.hasher.update(bufferPointer: shared) }
        defer { hashed.wait() }
        var offset = 0
        while offset < bytes.count {
            let result = archive_write_data(archive, bytes.baseAddress! + offset, bytes.count - offset)
            if result < 0 { try check(Int32(truncatingIfNeeded: result), "writing data", label: current.label) }
            if result == 0 {
                throw fail(DSARError(.archiveFailure, "libarchive accepted no more data for an entry", location: current.label))
            }
            offset += result
        }
        current.written += Int64(bytes.count)
        entry = current
    }

    /// Ends the open entry, checking that its declared size was written.
    @discardableResult
    func finishEntry() throws -> WrittenEntry {
        guard let archive, let current = entry else { throw misuse() }
        guard current.written == current.declaredSize else {
            throw fail(DSARError(.archiveFailure, "a file shrank while it was copied (\(current.written) of \(current.declaredSize) bytes)",
                                 location: current.label))
        }
        try check(archive_write_finish_entry(archive), "finishing an entry", label: current.label)
        entry = nil
        let digest = entryHashing.sync { entryHash.hasher.finalize() }.hex
        return WrittenEntry(path: current.path, size: current.written, sha256: digest)
    }

    /// Closes the archive, flushes it to disk and moves it to the destination.
    /// Returns the package's size and SHA-256.
    func finish() throws -> (size: Int64, sha256: String) {
        guard let archive, entry == nil else { throw misuse() }
        try check(archive_write_close(archive), "closing the package")
        archive_write_free(archive)
        self.archive = nil
        defer { Glibc.close(output.descriptor) }
        guard fsync(output.descriptor) == 0 else {
            let message = String(cString: strerror(errno))
            removeTemporary()
            throw DSARError(.archiveFailure, "the package could not be flushed to disk: \(message)")
        }
        try moveIntoPlace()
        return (output.bytesWritten, output.sha256)
    }

    private func moveIntoPlace() throws {
        if overwrite {
            guard rename(temporary.path, destination.path) == 0 else {
                let message = String(cString: strerror(errno))
                removeTemporary()
                throw DSARError(.archiveFailure, "the package could not be moved into place: \(message)",
                                location: destination.lastPathComponent)
            }
        } else {
            // link() fails if the destination appeared meanwhile: never replace a file by accident.
            let linked = link(temporary.path, destination.path)
            let error = errno
            removeTemporary()
            guard linked == 0 else {
                if error == EEXIST {
                    throw DSARError(.outputExists, "the output file already exists", location: destination.lastPathComponent)
                }
                throw DSARError(.archiveFailure, "the package could not be moved into place: \(String(cString: strerror(error)))",
                                location: destination.lastPathComponent)
            }
        }
    }

    /// Gives up: tells libarchive the archive failed (so it writes no end), frees it and removes the
    /// temporary file. Safe to call more than once.
    func abandon() {
        if let archive {
            archive_write_fail(archive)
            archive_write_free(archive)
            self.archive = nil
            Glibc.close(output.descriptor)
        }
        entry = nil
        removeTemporary()
    }

    private func removeTemporary() {
        unlink(temporary.path)
    }

    private func fail(_ error: DSARError) -> DSARError {
        abandon()
        return error
    }

    private func misuse() -> DSARError {
        fail(DSARError(.archiveFailure, "the package writer was used out of order"))
    }

    /// Turns a libarchive status into an error; ARCHIVE_WARN counts as failure.
    private func check(_ status: Int32, _ action: String, label: String? = nil) throws {
        guard status != ARCHIVE_OK else { return }
        let number = archive.map { archive_errno($0) } ?? 0
        let detail = archive.flatMap { archive_error_string($0) }.map { String(cString: $0) } ?? "status \(status)"
        let reason = number > 0 ? String(cString: strerror(number)) : "libarchive reported a problem"
        throw fail(DSARError(.archiveFailure, "\(action) failed: \(reason)", location: label,
                             cause: ArchiveMessage(text: detail)))
    }
}

/// The open entry's running hash. Only ever touched on `ArchiveWriter`'s serial entry-hashing
/// queue, which is what makes sharing it across that queue sound.
private final class EntryHash: @unchecked Sendable {
    var hasher = SHA256()
}

/// libarchive's own message, kept as a cause only: it may quote an entry's name.
struct ArchiveMessage: Error, CustomStringConvertible {
    let text: String
    var description: String { text }
}
