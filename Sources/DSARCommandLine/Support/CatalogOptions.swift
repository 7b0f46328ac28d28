import ArgumentParser
import DSARKit
import Foundation
import DSARKitPostgres
import DSARKitS3
import Logging

/// Where the catalog is, and how chatty to be. Shared by every command.
struct CatalogOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The catalog file (data map).", discussion: "Default: $DSAR_CATALOG, else ./dsar.yaml.",
                                            valueName: "path"))
    var catalog: String?

    @Flag(name: .shortAndLong, help: "Log progress to stderr (never personal data).")
    var verbose = false

    var catalogURL: URL {
        let path = catalog ?? ProcessInfo.processInfo.environment["DSAR_CATALOG"] ?? "dsar.yaml"
        return URL(fileURLWithPath: path)
    }

    func loadCatalog() throws -> Catalog {
        try Catalog.load(from: catalogURL)
    }

    /// Store types the CLI can open besides the built-in ones.
    static let openers: [String: StoreOpener] = ["postgres": PostgresStore.opener, "s3": S3Store.opener]

    func openStores(_ catalog: Catalog, readOnly: Bool = true) throws -> StoreSet {
        try StoreSet.open(for: catalog, openers: Self.openers, readOnly: readOnly, logger: logger)
    }

    /// The catalog's ledger: the SQLite file, or the shared PostgreSQL ledger (`ledger: postgres://…`).
    func openLedger(_ catalog: Catalog, maxConnections: Int = 4) throws -> any ErasureLedger {
        guard catalog.hasPostgresLedger else { return try Ledger(for: catalog) }
        return try PostgresLedger(catalog: catalog, environment: ProcessInfo.processInfo.environment,
                                  maxConnections: maxConnections, logger: logger)
    }

    var logger: Logger {
        var logger = Logger(label: "dsar") { StreamLogHandler.standardError(label: $0) }
        logger.logLevel = verbose ? .info : .warning
        return logger
    }
}

/// The person a request is about.
struct SubjectOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "An identifier of the person, as type:value (repeat for several).",
        discussion: "Types come from the catalog, for example email:amel.benali@example.tn, phone:+33612345678, customer_id:1042.",
        valueName: "type:value"))
    var subject: [String] = []

    func dataSubject(_ catalog: Catalog) throws -> DataSubject {
        try DataSubject(parsing: subject, catalog: catalog)
    }
}
