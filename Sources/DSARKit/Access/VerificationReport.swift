/// The outcome of ``PackageVerifier/verify(_:passphrase:)``.
public struct VerificationReport: Sendable, Encodable {
    /// One way the package differs from its manifest.
    public struct Mismatch: Sendable, Hashable, Encodable, CustomStringConvertible {
        public enum Kind: String, Sendable, Encodable {
            /// The archive cannot be read past this point (truncated, bad CRC, failed AES authentication).
            case damaged
            /// An entry the manifest does not list.
            case extra
            /// An entry the manifest lists that the archive lacks.
            case missing
            /// Size or SHA-256 differs from the manifest.
            case changed
            /// The same name twice, or an entry that is not a regular file.
            case unexpected
        }
        public var kind: Kind
        /// The entry's path inside the package, when known.
        public var path: String?
        public var detail: String

        public var description: String {
            [kind.rawValue, path, detail].compactMap { $0 }.joined(separator: ": ")
        }
    }

    public var format: PackageFormat
    public var encrypted: Bool
    /// Entries read, the manifest included.
    public var entries: Int
    /// Bytes of entry data read.
    public var bytes: Int64
    /// The manifest, if it could be read.
    public var manifest: PackageManifest?
    /// Every mismatch, in archive order (missing entries last). Empty when the package is intact.
    public var mismatches: [Mismatch]

    public var isValid: Bool { mismatches.isEmpty && manifest != nil }

    enum CodingKeys: String, CodingKey { case format, encrypted, entries, bytes, requestID, mismatches, valid }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(format, forKey: .format)
        try container.encode(encrypted, forKey: .encrypted)
        try container.encode(entries, forKey: .entries)
        try container.encode(bytes, forKey: .bytes)
        try container.encodeIfPresent(manifest?.requestID, forKey: .requestID)
        try container.encode(mismatches, forKey: .mismatches)
        try container.encode(isValid, forKey: .valid)
    }
}
