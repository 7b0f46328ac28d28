import CArchive
import Foundation

/// Reads an archive entry by entry through libarchive, strictly: ARCHIVE_WARN (a zip CRC or
/// AES authentication failure) is an error, and zips are read with the seekable reader alone,
/// which needs the central directory and so notices a truncated file.
final class ArchiveReader {
    /// An entry's header.
    struct Entry {
        var path: String
        var isRegularFile: Bool
        var isDirectory: Bool
        var isEncrypted: Bool
    }

    let format: PackageFormat
    private var archive: OpaquePointer?
    private var currentPath: String?

    init(url: URL, passphrase: Passphrase?) throws {
        guard let format = try Self.detectFormat(url) else {
            throw DSARError(.packageInvalid, "this file is not a zip, tar.gz or tar.zst package", location: url.lastPathComponent)
        }
        self.format = format
        let archive = archive_read_new()!
        self.archive = archive
        switch format {
        case .zip:
            archive_read_support_format_zip_seekable(archive)
        case .tarGzip:
            archive_read_support_filter_gzip(archive)
            archive_read_support_format_tar(archive)
        case .tarZstd:
            archive_read_support_filter_zstd(archive)
            archive_read_support_format_tar(archive)
        }
        if let passphrase { archive_read_add_passphrase(archive, passphrase.value) }
        let status = ArchiveLocale.withUTF8 { archive_read_open_filename(archive, url.path, 1 << 16) }
        guard status == ARCHIVE_OK else {
            throw DSARError(.packageInvalid, "the package cannot be opened: it is damaged or truncated",
                            location: url.lastPathComponent, cause: ArchiveMessage(text: errorText))
        }
    }

    deinit {
        if let archive { archive_read_free(archive) }
    }

    /// The next entry's header, or nil at the end of the archive.
    func nextEntry() throws -> Entry? {
        guard let archive else { return nil }
        var header: OpaquePointer?
        let status = ArchiveLocale.withUTF8 { archive_read_next_header(archive, &header) }
        if status == ARCHIVE_EOF { return nil }
        guard status == ARCHIVE_OK, let header else {
            throw DSARError(.packageInvalid, "the archive is damaged after \(currentPath.map { "entry \($0)" } ?? "its start")",
                            cause: ArchiveMessage(text: errorText))
        }
        let path = ArchiveLocale.withUTF8 { archive_entry_pathname_utf8(header).map { String(cString: $0) } }
        guard let path else {
            throw DSARError(.packageInvalid, "an entry's name is not valid UTF-8", location: currentPath.map { "after \($0)" })
        }
        currentPath = path
        let type = archive_entry_filetype(header)
        return Entry(path: path, isRegularFile: type == dsar_archive_regular_file_type(), isDirectory: type == dsar_archive_directory_type(),
                     isEncrypted: archive_entry_is_encrypted(header) != 0)
    }

    /// Streams the current entry's data to its end. Returns the number of bytes read.
    @discardableResult
    func readData(_ body: (UnsafeRawBufferPointer) throws -> Void) throws -> Int64 {
        guard let archive else { return 0 }
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        var total: Int64 = 0
        while true {
            let count = buffer.withUnsafeMutableBytes { archive_read_data(archive, $0.baseAddress, $0.count) }
            if count == 0 { return total }
            guard count > 0 else {
                if errorText.localizedCaseInsensitiveContains("passphrase") {
                    throw DSARError(.passphraseRequired, "the passphrase is wrong (or the package was changed)", location: currentPath)
                }
                throw DSARError(.packageInvalid, "the data of an entry is damaged (\(errorText))", location: currentPath)
            }
            try buffer.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
            total += Int64(count)
        }
    }

    private var errorText: String {
        archive.flatMap { archive_error_string($0) }.map { String(cString: $0) } ?? "unknown error"
    }

    /// The format from the file's first bytes.
    static func detectFormat(_ url: URL) throws -> PackageFormat? {
        guard let handle = FileHandle(forReadingAtPath: url.path) else {
            throw DSARError(.packageInvalid, "the package file cannot be read", location: url.lastPathComponent)
        }
        defer { try? handle.close() }
        let magic = [UInt8](try handle.read(upToCount: 4) ?? Data())
        if magic.starts(with: [0x50, 0x4B]) { return .zip }
        if magic.starts(with: [0x1F, 0x8B]) { return .tarGzip }
        if magic.starts(with: [0x28, 0xB5, 0x2F, 0xFD]) { return .tarZstd }
        return nil
    }
}
