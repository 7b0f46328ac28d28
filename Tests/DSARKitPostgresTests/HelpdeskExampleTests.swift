import DSARKit
import DSARKitPostgres
import Foundation
import Logging
import PostgresNIO
import Testing

/// `Examples/Helpdesk` on the real server, as a user runs it: `generate.sh` loads Chatwoot's
/// tables and the example's data into a schema and lays the ActiveStorage blob files out; its
/// catalog must find, package and erase exactly one person's rows and files, never the other
/// tenant's, the agent's, or another contact's.
@Suite("Example: Helpdesk (Chatwoot) on PostgreSQL")
struct HelpdeskExampleTests {
    static let example = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Examples/Helpdesk")

    /// The collections' tables, for row dumps.
    static let tables = ["contacts": "contacts", "contact_inboxes": "contact_inboxes", "conversations": "conversations",
                         "messages": "messages", "attachments": "attachments", "notes": "notes",
                         "storage_attachments": "active_storage_attachments", "blobs": "active_storage_blobs",
                         "users": "users", "accounts": "accounts", "inboxes": "inboxes"]

    static let amel: Set<String> = [
        "contacts[id=1]", "contact_inboxes[id=1]", "contact_inboxes[id=2]", "conversations[id=10]", "conversations[id=11]",
        "messages[id=100]", "messages[id=101]", "messages[id=102]", "messages[id=108]", "attachments[id=200]", "notes[id=1]",
        "storage_attachments[id=1]", "storage_attachments[id=3]", "blobs[id=1000]", "blobs[id=1002]",
    ]
    static let amelFiles: Set<String> = ["q3/x8/q3x8m1zk7d0v5hgt2wyr9cbn4e6a", "q3/x8/q3x8y2hb6n1c4v7m0z9k5d3f8g2j"]

    /// Generates the example into a fresh schema and folder, then runs `body` with the catalog,
    /// the folder and a row dumper.
    private func withExample(_ name: String = #function,
                             _ body: (Catalog, URL, @escaping () async throws -> [String: String]) async throws -> Void) async throws {
        guard PostgresTestServer.available(), let url = PostgresTestServer.url else { return }
        try await PostgresTestServer.withSchema { schema, client in
            let folder = FileManager.default.temporaryDirectory
                .appendingPathComponent("dsar-helpdesk-\(name.filter(\.isLetter).prefix(20))-\(UUID().uuidString.prefix(8))")
            let password = ProcessInfo.processInfo.environment[PostgresTestServer.passwordVariable] ?? ""
            let status = try Self.run(["bash", Self.example.appendingPathComponent("generate.sh").path, folder.path, schema],
                                      environment: ["DATABASE_URL": url, "PGPASSWORD": password,
                                                    "HELPDESK_PASSWORD_ENV": PostgresTestServer.passwordVariable])
            try #require(status == 0, "generate.sh failed")
            let catalog = try Catalog.load(from: folder.appendingPathComponent("dsar.yaml"))
            let dump: () async throws -> [String: String] = {
                var rows: [String: String] = [:]
                for (collection, table) in Self.tables {
                    let sql = "SELECT id::text, t::text FROM \(schema).\(table) t"
                    for try await (id, text) in try await client.query(PostgresQuery(unsafeSQL: sql)).decode((String, String).self) {
                        rows["\(collection)[id=\(id)]"] = text
                    }
                }
                return rows
            }
            try await body(catalog, folder, dump)
        }
    }

    private static func run(_ arguments: [String], environment: [String: String]) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }

    private func items(_ result: DiscoveryResult) -> Set<String> {
        Set(result.records.map(\.id.description))
    }

    private func discover(_ identifiers: [String], _ catalog: Catalog) async throws -> DiscoveryResult {
        let stores = try StoreSet.open(for: catalog, openers: ["postgres": PostgresStore.opener])
        return try await Discovery(catalog: catalog, stores: stores).discover(try DataSubject(parsing: identifiers, catalog: catalog))
    }

    @Test("Discovery: exactly each person's rows and blob files; never the other tenant's contact, the agent's avatar or a housemate's rows")
    func discovery() async throws {
        try await withExample { catalog, _, _ in
            for seed in ["email:amel.benali@example.tn", "email: Amel.BenAli@Example.TN ", "phone:+216 98 123 456"] {
                let amel = try await discover([seed], catalog)
                #expect(items(amel) == Self.amel, "\(seed)")
                #expect(Set(amel.files.map(\.path)) == Self.amelFiles, "\(seed)")
                #expect(amel.problems.isEmpty && amel.ambiguous.isEmpty, "\(seed)")
                #expect(!amel.conflicts.contains { $0.id.collection == "contacts" }, "account 2's contact is never even read")
            }
            let karim = try await discover(["phone:06 12 34 56 78"], catalog)
            #expect(items(karim) == ["contacts[id=2]", "contact_inboxes[id=3]", "conversations[id=12]", "messages[id=103]",
                                     "messages[id=104]", "attachments[id=201]", "notes[id=2]", "storage_attachments[id=4]", "blobs[id=1003]"])
            #expect(Set(karim.files.map(\.path)) == ["q3/x8/q3x8t1r8e3w6q0y9u4i7o2p5a8s1"])
            let sami = try await discover(["email:sami.trabelsi@example.tn"], catalog)
            #expect(items(sami) == ["contacts[id=3]", "contact_inboxes[id=4]", "conversations[id=13]", "messages[id=105]"])
            #expect(sami.conflicts.map(\.id.description).contains("contacts[id=4]"), "the housemate sharing the landline is a conflict")
            #expect(sami.files.isEmpty)
        }
    }

    @Test("Access: Amel's package holds her rows and her two blob files, nothing else")
    func access() async throws {
        try await withExample { catalog, folder, _ in
            let stores = try StoreSet.open(for: catalog, openers: ["postgres": PostgresStore.opener])
            let subject = try DataSubject(parsing: ["email:amel.benali@example.tn"], catalog: catalog)
            let result = try await Discovery(catalog: catalog, stores: stores).discover(subject, keeping: .linkColumns)
            let url = folder.appendingPathComponent("amel.zip")
            let options = AccessPackageOptions(format: .zip, encryption: .none, requestID: "REQ-HELPDESK")
            _ = try await AccessPackageWriter(catalog: catalog, stores: stores).write(result: result, to: url, options: options)
            let report = try PackageVerifier.verify(url)
            #expect(report.isValid, "\(report.mismatches)")
            let manifest = try #require(report.manifest)
            #expect(Set(manifest.records.map { "\($0.collection)[id=\($0.key["id"].map { "\($0)" } ?? "?")]" }) == Self.amel)
            #expect(Set(manifest.files.map(\.path).filter { $0.hasPrefix("files/") }) == Set(Self.amelFiles.map { "files/storage/" + $0 }))
        }
    }

    @Test("Erasure: Amel's rows and files go, verified complete; every other row of every table and every other file is as it was")
    func erasure() async throws {
        try await withExample { catalog, folder, rows in
            let storage = folder.appendingPathComponent("storage")
            func files() -> [String: Data] {
                var files: [String: Data] = [:]
                for path in FileManager.default.subpaths(atPath: storage.path) ?? [] {
                    if let data = FileManager.default.contents(atPath: storage.appendingPathComponent(path).path) { files[path] = data }
                }
                return files
            }
            let (rowsBefore, filesBefore) = (try await rows(), files())
            #expect(rowsBefore.count == 51)
            let stores = try StoreSet.open(for: catalog, openers: ["postgres": PostgresStore.opener], readOnly: false)
            let ledger = try Ledger(url: folder.appendingPathComponent(".dsar/ledger.sqlite"))
            try ledger.generateSigningKey()
            let subject = try DataSubject(parsing: ["email:amel.benali@example.tn"], catalog: catalog)
            let outcome = try await Erasure(catalog: catalog, stores: stores, ledger: ledger).execute(subject)
            #expect(outcome.isComplete)
            #expect(try await rows() == rowsBefore.filter { !Self.amel.contains($0.key) })
            #expect(files() == filesBefore.filter { !Self.amelFiles.contains($0.key) })
            #expect(try await discover(["email:amel.benali@example.tn"], catalog).records.isEmpty)
        }
    }
}
