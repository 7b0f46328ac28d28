import Foundation

/// An error raised by DSARKit.
///
/// Errors carry a stable ``code``, a message a privacy officer understands, the place it
/// happened (a catalog line and column, or a store, collection and key) and an optional
/// underlying cause. They never carry personal data: a record is named by
/// store/collection/key, an identifier by its type, never by its value.
public struct DSARError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure this is. Compare with the static members (`.invalidCatalog`, …).
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Wrapped: String, Sendable {
            case invalidCatalog, invalidIdentifier, unknownIdentifierType, unknownStore
            case storeUnavailable, storeFailure, pathEscapesRoot, fileMissing, unsupported
            case invalidRequest, outputExists, archiveFailure, packageInvalid, passphraseRequired
            case blockedByReference, ledgerFailure, invalidBatch, signingKeyMissing, signatureInvalid
            case auditChainBroken, erasureIncomplete, dataChanged, unreadable
            case erasureInProgress, interruptedRuns
        }
        private let wrapped: Wrapped
        private init(_ wrapped: Wrapped) { self.wrapped = wrapped }

        /// The catalog is malformed or inconsistent.
        public static let invalidCatalog = Code(.invalidCatalog)
        /// A subject identifier could not be parsed or normalised.
        public static let invalidIdentifier = Code(.invalidIdentifier)
        /// An identifier type is not declared in the catalog.
        public static let unknownIdentifierType = Code(.unknownIdentifierType)
        /// A store is named that the catalog does not declare, or no store was supplied for it.
        public static let unknownStore = Code(.unknownStore)
        /// A store could not be opened or reached.
        public static let storeUnavailable = Code(.storeUnavailable)
        /// A store failed while reading or writing.
        public static let storeFailure = Code(.storeFailure)
        /// A record vanished, or its links changed, between discovery and the package being
        /// written. Nothing is left at the destination; running the request again sees the new state.
        public static let dataChanged = Code(.dataChanged)
        /// A file path points outside its store's root folder.
        public static let pathEscapesRoot = Code(.pathEscapesRoot)
        /// A file a record points at does not exist.
        public static let fileMissing = Code(.fileMissing)
        /// A file or folder exists but cannot be read (permission denied, I/O error, a link
        /// loop, not a regular file). Never taken for "no files".
        public static let unreadable = Code(.unreadable)
        /// The operation is not supported by this store.
        public static let unsupported = Code(.unsupported)
        /// The request's options contradict each other or are incomplete (a tar package with a passphrase).
        public static let invalidRequest = Code(.invalidRequest)
        /// The output file already exists and overwriting was not asked for.
        public static let outputExists = Code(.outputExists)
        /// An archive could not be written or read (disk full, a file changed while it was copied).
        public static let archiveFailure = Code(.archiveFailure)
        /// A package is not readable as a DSARKit package (no manifest, not an archive).
        public static let packageInvalid = Code(.packageInvalid)
        /// The package is encrypted and no passphrase, or a wrong one, was given.
        public static let passphraseRequired = Code(.passphraseRequired)

        /// A row cannot be deleted because something the catalog does not declare references it.
        public static let blockedByReference = Code(.blockedByReference)
        /// The local ledger (journal, keys, audit log) could not be read or written.
        public static let ledgerFailure = Code(.ledgerFailure)
        /// A batch file is malformed; nothing was touched.
        public static let invalidBatch = Code(.invalidBatch)
        /// No signing key exists yet (`dsar keys generate`).
        public static let signingKeyMissing = Code(.signingKeyMissing)
        /// A certificate's signature or contents do not check out.
        public static let signatureInvalid = Code(.signatureInvalid)
        /// The audit log was edited, truncated in the middle or reordered.
        public static let auditChainBroken = Code(.auditChainBroken)
        /// An erasure finished but verification still finds data that should be gone.
        public static let erasureIncomplete = Code(.erasureIncomplete)
        /// Another erasure (another process, or another task of this one) holds the ledger's
        /// erasure lock; nothing was touched. Try again once it has finished.
        public static let erasureInProgress = Code(.erasureInProgress)
        /// The ledger holds erasures that were interrupted; a new one is refused until they are
        /// resumed (``Erasure/resume()``, `dsar erase --resume`) or abandoned. Nothing was touched.
        public static let interruptedRuns = Code(.interruptedRuns)

        public var description: String { wrapped.rawValue }
    }

    public var code: Code
    /// A plain-language message without personal data.
    public var message: String
    /// Where it happened: `dsar.yaml:12:5`, or `crm/customers`.
    public var location: String?
    /// The underlying error, if any. Its text is not shown in ``description``.
    public var cause: (any Error)?

    public init(_ code: Code, _ message: String, location: String? = nil, cause: (any Error)? = nil) {
        self.code = code
        self.message = message
        self.location = location
        self.cause = cause
    }

    public var description: String {
        if let location { return "\(location): \(message)" }
        return message
    }
}
