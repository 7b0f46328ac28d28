/// The container an access package is written in.
public enum PackageFormat: String, Sendable, Hashable, CaseIterable, Codable, CustomStringConvertible {
    /// A zip file: recordings stored as they are, text deflated; AES-256 encryption possible.
    /// Opens with the archive tool of every operating system (encrypted: 7-Zip, macOS Archive Utility, Windows 11).
    case zip
    /// A gzip-compressed POSIX tar file. No encryption.
    case tarGzip = "tar.gz"
    /// A zstd-compressed POSIX tar file. No encryption.
    case tarZstd = "tar.zst"

    /// The usual file name extension, without the leading dot.
    public var fileExtension: String { rawValue }

    /// Whether the format can carry a passphrase (only zip, as AES-256).
    public var supportsEncryption: Bool { self == .zip }

    public var description: String { rawValue }

    /// The format of a file named `name`, from its extension (`amel.tar.zst`), if it is one of ours.
    public init?(fileName name: String) {
        let lower = name.lowercased()
        guard let format = Self.allCases.first(where: { lower.hasSuffix("." + $0.fileExtension) }) else { return nil }
        self = format
    }
}
