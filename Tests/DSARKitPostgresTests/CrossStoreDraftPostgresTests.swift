import CallCenterExample
import DSARKit
import DSARKitPostgres
import Foundation
import Logging
import PostgresNIO
import Testing

/// The mixed-store call centre (telephony in PostgreSQL, the CRM in SQLite, recordings in a
/// folder): the draft links the stores, and reads keys of PostgreSQL calls in file names.
@Suite("Drafting across PostgreSQL, SQLite and a folder, and its folder coverage")
struct CrossStoreDraftPostgresTests {
    /// The first `count` call ids of the PostgreSQL `calls` table, as `callbacks/call-{id}.wav` files in the recordings folder.
    static func addCallbacks(_ dataSet: CallCenterDataSet, schema: String, client: PostgresClient, count: Int = 4) async throws -> [String] {
        var ids: [Int64] = []
        for try await id in try await client.query(PostgresQuery(unsafeSQL: "SELECT id FROM \(schema).calls ORDER BY id LIMIT \(count)")).decode(Int64.self) {
            ids.append(id)
        }
        let files = ids.map { "callbacks/call-\($0).wav" }
        for file in files {
            let url = dataSet.recordingsURL.appendingPathComponent(file)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data("RIFF".utf8).write(to: url)
        }
        return files
    }

    /// A collection's YAML entry lines up to its TODO texts.
    static func entry(_ name: String, in yaml: String) -> [String] {
        let lines = yaml.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard let start = lines.firstIndex(of: "  \(name):") else { return [] }
        return Array(lines[start...].prefix { !$0.hasPrefix("    purpose: ") })
    }

    static func tableLinks(_ catalog: Catalog) -> (identifiers: Set<String>, references: Set<String>) {
        let tables = catalog.collections.filter { $0.table != nil }
        return (Set(tables.flatMap { c in c.identifiers.map { "\(c.store)/\(c.table ?? "").\($0.column)=\($0.type)" } }),
                Set(tables.flatMap { c in c.references.map { "\(c.store)/\(c.table ?? "").\($0.column)→\($0.targetCollection).\($0.targetColumn)" } }))
    }

    @Test("calls.customer_id in PostgreSQL is drafted as a reference to the SQLite customers; call ids in file names as a pattern collection")
    func draft() async throws {
        guard PostgresTestServer.available() else { return }
        try await PostgresTestServer.withSchema { schema, client in
            let dataSet = try await MixedStoreExampleTests.makeExample(schema: schema, client: client)
            _ = try await Self.addCallbacks(dataSet, schema: schema, client: client)
            let telephony = try PostgresStore(declaration: PostgresTestServer.declaration(name: "telephony", schema: schema),
                                              environment: ProcessInfo.processInfo.environment, logger: Logger(label: "test"))
            defer { telephony.close() }
            let draft = try await CatalogDraft.read(
                [(CatalogDraft.Store(name: "crm", type: "sqlite", location: "data/crm.sqlite"), try SQLiteStore(name: "crm", path: dataSet.databaseURL.path)),
                 (CatalogDraft.Store(name: "telephony", type: "postgres", location: PostgresTestServer.url ?? "",
                                     settings: ["passwordEnv": PostgresTestServer.passwordVariable, "schema": schema]), telephony)],
                folders: [(CatalogDraft.Store(name: "recordings", type: "files", location: "data/recordings"),
                           try FolderStore(name: "recordings", root: dataSet.recordingsURL))],
                regions: ["FR"])
            let yaml = draft.yaml
            let drafted = try Catalog.parse(yaml: yaml, sourceName: "draft.yaml", baseDirectory: dataSet.directory)
            let hand = try Catalog.load(from: dataSet.postgresCatalogURL)
            #expect(Self.tableLinks(drafted).identifiers == Self.tableLinks(hand).identifiers, "\(yaml)")
            #expect(Self.tableLinks(drafted).references == Self.tableLinks(hand).references)
            #expect(Self.tableLinks(drafted).references.contains("telephony/calls.customer_id→customers.id"))
            let sampled = try await telephony.sampleKeyValues(table: "calls", column: "customer_id", limit: 1000).count
            #expect(Self.entry("calls", in: yaml).contains(
                "      customer_id: customers.id  # guess: all \(sampled) sampled values found in customers.id of store crm"))
            #expect(Self.entry("recordings_callbacks", in: yaml) == [
                "  recordings_callbacks:", "    store: recordings", "    pattern: \"callbacks/call-{call_id}.wav\"", "    references:",
                "      call_id: calls.id  # guess: 4 of 4 sampled file names hold a key of calls.id (store telephony); the path names calls",
            ])
            let json = String(decoding: try JSONEncoder().encode(draft), as: UTF8.self)
            let personal = dataSet.people.flatMap { [$0.email] + $0.phones }
            #expect(!personal.isEmpty && personal.allSatisfy { !yaml.contains($0) && !json.contains($0) })
        }
    }

    @Test("files named by PostgreSQL call ids outside the catalog fail coverage until their folder is ignored with a reason")
    func coverage() async throws {
        guard PostgresTestServer.available() else { return }
        try await PostgresTestServer.withSchema { schema, client in
            let dataSet = try await MixedStoreExampleTests.makeExample(schema: schema, client: client)
            let catalog = try Catalog.load(from: dataSet.postgresCatalogURL)
            let stores = try StoreSet.open(for: catalog, openers: ["postgres": PostgresStore.opener])
            defer { (stores["telephony"] as? PostgresStore)?.close() }
            let sources = catalog.stores.compactMap { stores[$0.name] as? any SchemaSource }
            let folders = [try FolderStore(name: "recordings", root: dataSet.recordingsURL)]
            #expect(try await CoverageCheck(catalog: catalog).run(sources: sources, folders: folders).unmappedFiles.isEmpty)

            _ = try await Self.addCallbacks(dataSet, schema: schema, client: client)
            let report = try await CoverageCheck(catalog: catalog).run(sources: sources, folders: folders)
            #expect(report.unmappedFiles.map { "\($0.store)/\($0.pattern) \($0.kind)" } == ["recordings/callbacks/call-{call_id}.wav key"])
            #expect(report.unmappedFiles.first?.evidence == "4 of 4 sampled file names hold a key of calls.id (store telephony); the path names calls")
            #expect(report.hasUnmappedIdentifiers)

            let text = try String(contentsOf: dataSet.postgresCatalogURL, encoding: .utf8)
                + "coverage: { ignore: [ { folder: recordings/callbacks, reason: \"IVR callback prompts, erased with their call\" } ] }\n"
            let ignoring = try Catalog.parse(yaml: text, sourceName: "dsar-postgres.yaml", baseDirectory: dataSet.directory)
            let ignored = try await CoverageCheck(catalog: ignoring).run(sources: sources, folders: folders)
            #expect(ignored.unmappedFiles.isEmpty)
            #expect(ignored.ignoredFiles == 4)
            #expect(!ignored.hasUnmappedIdentifiers)
        }
    }
}
