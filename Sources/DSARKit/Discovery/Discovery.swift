import Logging

/// Finds everything the catalog's stores hold on one data subject.
///
/// Starting from the identifiers a request names, discovery looks up every collection by
/// every known identifier, follows references down to children and up to parents, and takes
/// new identifiers from the subject's own records, until nothing new turns up. Every record
/// carries the chain that led to it. Records that belong to someone else are reported as
/// conflicts, and records found only through a shared identifier that another person also
/// uses are reported as ambiguous; neither is ever part of the result.
public struct Discovery: Sendable {
    public let catalog: Catalog
    public let stores: StoreSet
    public var logger: Logger

    public init(catalog: Catalog, stores: StoreSet, logger: Logger = Logger(label: "dsar.discovery")) {
        self.catalog = catalog
        self.stores = stores
        self.logger = logger
    }

    /// Which columns of each record a ``DiscoveryResult`` keeps.
    public enum RecordContents: Sendable, Hashable {
        /// Every column: what erasure needs to plan holds and masks.
        case allColumns
        /// Only the columns that link records (``Catalog/linkColumns(of:)``): what an access
        /// package needs, since ``AccessPackageWriter`` re-reads every record by key while it
        /// writes. Memory then grows with the number of records by their keys, links and
        /// provenance only, not by their contents.
        case linkColumns
    }

    /// Everything found on `subject`.
    public func discover(_ subject: DataSubject, keeping contents: RecordContents = .allColumns) async throws -> DiscoveryResult {
        for identifier in subject.identifiers where catalog.identifierType(named: identifier.type) == nil {
            throw DSARError(.unknownIdentifierType, "unknown identifier type '\(identifier.type)'")
        }
        let run = DiscoveryRun(catalog: catalog, stores: stores, logger: logger, seeds: subject.identifiers)
        if contents == .linkColumns {
            run.kept = Dictionary(uniqueKeysWithValues: catalog.collections.map { ($0.name, catalog.linkColumns(of: $0)) })
        }
        var result = try await run.execute()
        result.subject = subject
        return result
    }
}
