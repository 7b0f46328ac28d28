import Foundation

/// How an access package is written: container, encryption, language, scope, and the facts
/// that make it reproducible (request id, generation time).
public struct AccessPackageOptions: Sendable {
    /// Whether and how the package is encrypted.
    public enum Encryption: Sendable, Hashable {
        /// No encryption: an explicit choice (the package travels by a secure channel).
        case none
        /// AES-256 zip with this passphrase; send the passphrase by another channel.
        case passphrase(Passphrase)
    }

    public var format: PackageFormat
    public var encryption: Encryption
    public var language: PackageLanguage
    /// Art. 20 portability: only collections (or rows) whose lawful basis is consent or contract.
    public var portability: Bool
    /// The request's reference, written into the manifest and shown to the subject.
    public var requestID: String
    /// The generation time, written into the manifest and used as every entry's date.
    public var generatedAt: Date
    /// The subject's name as the page should greet them. When `nil`, it is taken from the first
    /// record with `first_name`/`last_name` (or `name`, `full_name`) columns, else the identifiers are shown.
    public var subjectName: String?
    /// Replace an existing file at the destination (otherwise ``DSARError/Code/outputExists``).
    public var overwrite: Bool
    /// Write the package even when discovery reported problems (a linked recording missing): the
    /// manifest lists them and the page says some items could not be retrieved. Otherwise such a
    /// result is refused with ``DSARError/Code/fileMissing``, so an incomplete answer is never sent by mistake.
    public var allowIncomplete: Bool
    /// Only the part of the subject's data the request names (a call and its recording): the
    /// package holds the records it selects and those under them; the page says so.
    public var scope: RequestScope?
    /// Called as bytes are written, from the writing task; keep it quick.
    public var progress: (@Sendable (PackageProgress) -> Void)?

    public init(
        format: PackageFormat = .zip,
        encryption: Encryption,
        language: PackageLanguage = .en,
        portability: Bool = false,
        requestID: String,
        generatedAt: Date = Date(),
        subjectName: String? = nil,
        overwrite: Bool = false,
        allowIncomplete: Bool = false,
        progress: (@Sendable (PackageProgress) -> Void)? = nil
    ) {
        self.format = format
        self.encryption = encryption
        self.language = language
        self.portability = portability
        self.requestID = requestID
        self.generatedAt = generatedAt
        self.subjectName = subjectName
        self.overwrite = overwrite
        self.allowIncomplete = allowIncomplete
        self.progress = progress
    }

    /// Throws ``DSARError/Code/invalidRequest`` for a combination that cannot be written.
    public func validate() throws {
        if case .passphrase = encryption, !format.supportsEncryption {
            throw DSARError(.invalidRequest, "\(format) packages cannot be encrypted; use the zip format for an encrypted " +
                            "package, or choose no encryption explicitly")
        }
        guard !requestID.isEmpty, !requestID.contains(where: \.isNewline) else {
            throw DSARError(.invalidRequest, "the request id must be one non-empty line")
        }
    }

    /// The passphrase, when encrypted.
    public var passphrase: Passphrase? {
        if case .passphrase(let passphrase) = encryption { return passphrase }
        return nil
    }
}

/// How far the writing of a package is.
public struct PackageProgress: Sendable, Hashable {
    /// Bytes of content (files and data) copied into the package so far.
    public var bytesDone: Int64
    /// Bytes of content the package will hold in total.
    public var bytesTotal: Int64
}
