import DSARKit
import DSARKitPostgres
import Foundation
import Logging
import PostgresNIO
import Synchronization
import Testing

/// One schema of typed tables for the column-type tests, with the catalog, stores and ledger to
/// discover, package, erase and resume in it.
struct PostgresTypeFixture {
    let schema: String
    let client: PostgresClient
    let catalog: Catalog
    let directory: URL

    init(schema: String, client: PostgresClient, collections: [DataCollection],
         identifiers: [IdentifierType] = [IdentifierType(name: "email", kind: .email)]) throws {
        self.schema = schema
        self.client = client
        self.directory = FileManager.default.temporaryDirectory.appendingPathComponent("dsar-pgtypes-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        self.catalog = Catalog(controller: Controller(name: "Typed SARL", contact: "dpo@typed.example"), identifiers: identifiers,
                               stores: [PostgresTestServer.declaration(name: "pg", schema: schema)],
                               collections: collections, baseDirectory: directory)
    }

    /// Creates the types the tests use (an enum, a domain, `citext`) and runs `sql`, one statement per line.
    static func create(_ client: PostgresClient, schema: String, _ sql: String) async throws {
        // Tests run in parallel: two creating the extension at once may collide; one of them made it.
        for _ in 0..<3 {
            if (try? await client.query("CREATE EXTENSION IF NOT EXISTS citext")) != nil { break }
        }
        try await client.query(PostgresQuery(unsafeSQL: "CREATE TYPE \(schema).mood AS ENUM ('happy', 'sad', 'it''s complicated')"))
        try await client.query(PostgresQuery(unsafeSQL: "CREATE DOMAIN \(schema).ticket_code AS varchar(8) CHECK (VALUE ~ '^T-')"))
        for statement in sql.replacingOccurrences(of: "S.", with: "\(schema).").split(separator: "\n") {
            try await client.query(PostgresQuery(unsafeSQL: String(statement)))
        }
    }

    /// A fresh store, as a new process would open it (no column types cached).
    func store() throws -> PostgresStore {
        try PostgresStore(declaration: PostgresTestServer.declaration(name: "pg", schema: schema),
                          environment: ProcessInfo.processInfo.environment, logger: Logger(label: "test"))
    }

    var ledgerURL: URL { directory.appendingPathComponent(".dsar/ledger.sqlite") }

    func subject(_ identifiers: String...) throws -> DataSubject {
        try DataSubject(parsing: identifiers, catalog: catalog)
    }

    /// Every row of `table` as PostgreSQL prints it, sorted, optionally only those matching `condition`.
    func rows(_ table: String, where condition: String = "true") async throws -> [String] {
        let result = try await client.query(PostgresQuery(unsafeSQL: "SELECT t::text FROM \(schema).\(table) t WHERE \(condition) ORDER BY 1"))
        var rows: [String] = []
        for try await text in result.decode(String.self) { rows.append(text) }
        return rows
    }

    /// The rows of `collection` in an access package of `result`, as JSONSerialization reads them.
    func packaged(_ result: DiscoveryResult, collection: String) async throws -> [[String: Any]] {
        let stores = StoreSet([try store()])
        defer { (stores["pg"] as? PostgresStore)?.close() }
        let url = directory.appendingPathComponent("package-\(UUID().uuidString).zip")
        let options = AccessPackageOptions(format: .zip, encryption: .none, requestID: "REQ-TYPES",
                                           generatedAt: Date(timeIntervalSince1970: 1_790_000_000))
        _ = try await AccessPackageWriter(catalog: catalog, stores: stores).write(result: result, to: url, options: options)
        let report = try PackageVerifier.verify(url)
        #expect(report.isValid, "\(report.mismatches)")
        let extract = Process()
        extract.executableURL = URL(fileURLWithPath: "/usr/bin/bsdtar")
        extract.arguments = ["-x", "-O", "-f", url.path, "data/\(collection).json"]
        let pipe = Pipe()
        extract.standardOutput = pipe
        try extract.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        extract.waitUntilExit()
        return try #require(try JSONSerialization.jsonObject(with: data) as? [[String: Any]])
    }

    /// Erases `subject` in a run whose change to `interrupted` fails once (after the plan was
    /// journaled and the steps before it were done), then resumes it the way a new process
    /// would: a fresh store and a reopened ledger, the keys read back from the journal.
    func eraseInterrupted(_ subject: DataSubject, at interrupted: String) async throws -> ErasureOutcome? {
        let first = InterruptingStore(inner: try store(), collection: interrupted)
        defer { first.inner.close() }
        let ledger = try Ledger(url: ledgerURL)
        try ledger.generateSigningKey(replace: true)
        do {
            _ = try await Erasure(catalog: catalog, stores: StoreSet([first]), ledger: ledger).execute(subject)
            Issue.record("the interrupted run must fail")
            return nil
        } catch let error as DSARError {
            #expect(error.message.contains("interrupted"), "\(error)")
        }
        #expect(first.interruptions == 1, "the run reached the step to interrupt")
        let fresh = try store()
        defer { fresh.close() }
        let results = try await Erasure(catalog: catalog, stores: StoreSet([fresh]), ledger: try Ledger(url: ledgerURL)).resume()
        #expect(results.count == 1)
        switch results.first {
        case .success(let outcome)?: return outcome
        case .failure(let error)?: Issue.record("resume failed: \(error)"); return nil
        case nil: return nil
        }
    }
}

/// A PostgreSQL store whose first change to one collection fails: an erasure interrupted
/// after its plan was journaled.
final class InterruptingStore: ErasableStore {
    let inner: PostgresStore
    let collection: String
    private let count = Mutex(0)

    init(inner: PostgresStore, collection: String) {
        self.inner = inner
        self.collection = collection
    }

    var name: String { inner.name }
    var interruptions: Int { count.withLock { $0 } }

    func records(in collection: DataCollection, where match: ColumnMatch) -> AsyncThrowingStream<Record, any Error> {
        inner.records(in: collection, where: match)
    }

    func inspect(_ collection: DataCollection) async throws -> CollectionInspection { try await inner.inspect(collection) }

    func apply(_ changes: RowChanges, to collection: DataCollection) async throws {
        if collection.name == self.collection, count.withLock({ $0 += 1; return $0 }) == 1 {
            throw DSARError(.storeUnavailable, "interrupted before this step", location: collection.name)
        }
        try await inner.apply(changes, to: collection)
    }
}
