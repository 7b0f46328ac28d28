import CallCenterExample
import DSARKit
import DSARKitPostgres
import Foundation
import Logging
import PostgresNIO
import Testing

/// The same erasure and access checks as the SQLite example, on the mixed catalog: calls and
/// recordings in PostgreSQL, customers and consents in SQLite, recordings in a folder.
@Suite("Mixed-store example: erasure and access")
struct MixedStoreErasureTests {
    static let amel = "email:amel.benali@example.tn"

    struct Example {
        let dataSet: CallCenterDataSet
        let catalog: Catalog
        let stores: StoreSet
        let schema: String
        let client: PostgresClient

        func pg(_ sql: String) async throws -> String {
            let rows = try await client.query(PostgresQuery(unsafeSQL: "SELECT coalesce(string_agg(x, E'\\n'), '') FROM (\(sql)) AS q(x)"))
            for try await text in rows.decode(String.self) { return text }
            return ""
        }

        func sqlite(_ sql: String) throws -> String {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
            process.arguments = ["-cmd", ".mode quote", dataSet.databaseURL.path, sql]
            let pipe = Pipe()
            process.standardOutput = pipe
            try process.run()
            let data = pipe.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        }

        func files() throws -> [String: Data] {
            var files: [String: Data] = [:]
            let root = dataSet.recordingsURL.resolvingSymlinksInPath().path
            let enumerator = FileManager.default.enumerator(atPath: root)
            while let path = enumerator?.nextObject() as? String {
                var isDirectory: ObjCBool = false
                _ = FileManager.default.fileExists(atPath: root + "/" + path, isDirectory: &isDirectory)
                if !isDirectory.boolValue { files[path] = try Data(contentsOf: URL(fileURLWithPath: root + "/" + path)) }
            }
            return files
        }

        /// Everything erasing Amel must leave alone.
        func others() async throws -> String {
            try await pg("SELECT c::text FROM \(schema).calls c WHERE id NOT IN (1, 2, 3, 4) ORDER BY id") + "\n"
                + (try await pg("SELECT r::text FROM \(schema).recordings r WHERE id NOT IN (1, 3, 4) ORDER BY id")) + "\n"
                + (try sqlite("SELECT * FROM customers WHERE id <> 1 ORDER BY id; SELECT * FROM recording_consents ORDER BY id"))
        }
    }

    static func withExample(_ body: (Example) async throws -> Void) async throws {
        try await PostgresTestServer.withSchema { schema, client in
            let dataSet = try await MixedStoreExampleTests.makeExample(schema: schema, client: client)
            let catalog = try Catalog.load(from: dataSet.postgresCatalogURL)
            let stores = try StoreSet.open(for: catalog, openers: ["postgres": PostgresStore.opener], readOnly: false)
            defer { (stores["telephony"] as? PostgresStore)?.close() }
            try await body(Example(dataSet: dataSet, catalog: catalog, stores: stores, schema: schema, client: client))
        }
    }

    @Test("Erasing Amel leaves only the held recording, the retained consents with the customer row they reference, and masked calls; Youssef and everyone else untouched")
    func fullErasure() async throws {
        guard PostgresTestServer.available() else { return }
        try await Self.withExample { example in
            let amelRecordings = Set(try await example.pg("SELECT path FROM \(example.schema).recordings WHERE id IN (1, 3, 4)")
                .split(separator: "\n").map(String.init))
            let excluded = amelRecordings.union(["voicemail/0021698123456_20260402T090000.wav"])
            let before = try await example.others()
            let otherFiles = try example.files().filter { !excluded.contains($0.key) }
            #expect(amelRecordings.count == 3)

            let ledger = try Ledger(url: example.dataSet.directory.appendingPathComponent(".dsar/ledger.sqlite"))
            try ledger.generateSigningKey(replace: true)
            let erasure = Erasure(catalog: example.catalog, stores: example.stores, ledger: ledger)
            let outcome = try await erasure.execute(try DataSubject(parsing: [Self.amel], catalog: example.catalog))
            #expect(outcome.isComplete, "\(outcome.residue)")
            try outcome.certificate.verifySignature(trusting: try ledger.publicKey())
            #expect(outcome.certificate.verification == "complete")
            #expect(try ledger.verifyAudit().isIntact)

            // Her retained consents still reference her customer row: it is kept.
            #expect(try example.sqlite("SELECT count(*) FROM customers WHERE id = 1") == "1")
            #expect(try example.sqlite("SELECT count(*) FROM recording_consents WHERE customer_id = 1") == "2")
            #expect(try await example.pg("SELECT id::text FROM \(example.schema).recordings WHERE id IN (1, 2, 3, 4)") == "2")
            let calls = try await example.pg("""
                SELECT length(caller_number)::text || ',' || coalesce(agent_notes, 'NULL') FROM \(example.schema).calls WHERE id IN (1, 2, 3, 4)
                """).split(separator: "\n")
            #expect(calls == ["64,NULL", "64,NULL", "64,NULL", "64,NULL"], "\(calls)")
            let files = try example.files()
            for path in excluded { #expect(files[path] == nil, "an erased file remains") }
            #expect(try await example.others() == before, "other rows changed")
            #expect(files.filter { !excluded.contains($0.key) } == otherFiles, "other files changed")

            // Zero collateral: everything of Youssef (the household's other member) is still found. (More
            // may be: with Amel gone, calls from the household line are no longer ambiguous.)
            let youssef = try #require(example.dataSet.person(customerID: 2))
            let result = try await Discovery(catalog: example.catalog, stores: example.stores)
                .discover(try DataSubject(parsing: ["email:\(youssef.email)"], catalog: example.catalog))
            let expected = example.dataSet.expectation(for: youssef)
            #expect(expected.records.isSubset(of: Set(result.records.map(\.item))))
            #expect(expected.files.isSubset(of: Set(result.files.map { "\($0.store)/\($0.path)" })))
            #expect(!expected.records.isEmpty)
        }
    }

    @Test("An access package of Amel from the mixed catalog verifies and holds her records and files")
    func accessPackage() async throws {
        guard PostgresTestServer.available() else { return }
        try await Self.withExample { example in
            let person = try #require(example.dataSet.person(email: "amel.benali@example.tn"))
            let result = try await Discovery(catalog: example.catalog, stores: example.stores)
                .discover(try DataSubject(parsing: [Self.amel], catalog: example.catalog), keeping: .linkColumns)
            let url = example.dataSet.directory.appendingPathComponent("amel.zip")
            let options = AccessPackageOptions(format: .zip, encryption: .none, requestID: "REQ-MIXED-1",
                                               generatedAt: Date(timeIntervalSince1970: 1_790_000_000))
            let summary = try await AccessPackageWriter(catalog: example.catalog, stores: example.stores).write(result: result, to: url, options: options)
            let expected = example.dataSet.expectation(for: person)
            #expect(summary.records == expected.records.count)
            #expect(summary.files == expected.files.count)
            let report = try PackageVerifier.verify(url)
            #expect(report.isValid, "\(report.mismatches)")
            // The calls live in PostgreSQL: read back by key there, every one of them, with its columns.
            let listing = Process()
            listing.executableURL = URL(fileURLWithPath: "/usr/bin/bsdtar")
            listing.arguments = ["-x", "-O", "-f", url.path, "data/calls.json"]
            let pipe = Pipe()
            listing.standardOutput = pipe
            try listing.run()
            let data = pipe.fileHandleForReading.readDataToEndOfFile()
            listing.waitUntilExit()
            let calls = try #require(try JSONSerialization.jsonObject(with: data) as? [[String: Any]])
            let expectedCalls = expected.records.filter { $0.collection == "calls" }.map(\.key).sorted { Int($0)! < Int($1)! }
            #expect(calls.compactMap { ($0["id"] as? Int).map(String.init) } == expectedCalls)
            #expect(calls.allSatisfy { $0["started_at"] is String && $0["duration_s"] is Int })
        }
    }
}
