import Foundation

/// The data map: who the controller is, which identifier types exist, which stores hold
/// personal data and how collections in them link to a person and to each other.
///
/// Load it from YAML with ``Catalog/load(from:)`` or build it in code; either way, call
/// ``validate()`` (``load(from:)`` does) before using it.
public struct Catalog: Sendable {
    public var version: Int
    public var controller: Controller
    /// Identifier types by name (`email`, `phone`, `customer_id`), in declaration order.
    public var identifiers: [IdentifierType]
    /// Stores by name, in declaration order.
    public var stores: [StoreDeclaration]
    /// Collections by name, in declaration order.
    public var collections: [DataCollection]
    /// The folder relative paths in store declarations are resolved against.
    public var baseDirectory: URL
    /// The file the catalog was read from, if any (used to name places in errors).
    public var sourceName: String?
    /// Where the erasure ledger lives (the `ledger:` key), relative to ``baseDirectory``;
    /// `nil` for `.dsar/ledger.sqlite`.
    public var ledgerPath: String?
    /// Settings of a shared ledger (`ledger: postgres://…`): `passwordEnv` (from
    /// `ledgerPasswordEnv:`), `schema` (`ledgerSchema:`), `keys` (`ledgerKeys:`, the local
    /// folder of the key files, default `.dsar`), `tls` (`ledgerTLS: require|disable`).
    public var ledgerSettings: [String: String] = [:]
    /// Columns `dsar check --coverage` must not report (`coverage: { ignore: [ { column: table.col, reason: … } ] }`).
    public var coverageIgnores: [CoverageIgnore] = []

    /// Whether `ledger:` names a PostgreSQL database rather than a SQLite file.
    public var hasPostgresLedger: Bool {
        ledgerPath.map { $0.hasPrefix("postgres://") || $0.hasPrefix("postgresql://") } ?? false
    }

    public init(
        version: Int = 1,
        controller: Controller,
        identifiers: [IdentifierType],
        stores: [StoreDeclaration],
        collections: [DataCollection],
        baseDirectory: URL = URL(fileURLWithPath: FileManager.default.currentDirectoryPath),
        sourceName: String? = nil
    ) {
        self.version = version
        self.controller = controller
        self.identifiers = identifiers
        self.stores = stores
        self.collections = collections
        self.baseDirectory = baseDirectory
        self.sourceName = sourceName
    }

    public func identifierType(named name: String) -> IdentifierType? {
        identifiers.first { $0.name == name }
    }

    public func store(named name: String) -> StoreDeclaration? {
        stores.first { $0.name == name }
    }

    public func collection(named name: String) -> DataCollection? {
        collections.first { $0.name == name }
    }

    /// The place of a declaration, as `file:line:column` when known.
    func place(_ location: SourceLocation?, fallback: String) -> String {
        guard let location else { return fallback }
        return "\(sourceName ?? "catalog"):\(location.line):\(location.column)"
    }
}

/// A line and column in the catalog's YAML source, 1-based.
public struct SourceLocation: Hashable, Sendable, CustomStringConvertible {
    public let line: Int
    public let column: Int
    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }
    public var description: String { "\(line):\(column)" }
}

/// The organisation answering the request (GDPR Art. 13/15 information).
public struct Controller: Sendable, Hashable {
    public var name: String
    public var contact: String
    /// The supervisory authority the subject can complain to.
    public var authority: String?

    public init(name: String, contact: String, authority: String? = nil) {
        self.name = name
        self.contact = contact
        self.authority = authority
    }
}
