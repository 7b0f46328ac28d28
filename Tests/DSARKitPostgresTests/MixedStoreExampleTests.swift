import CallCenterExample
import DSARKit
import DSARKitPostgres
import Foundation
import Logging
import PostgresNIO
import Testing

/// The call-centre example with telephony in PostgreSQL, the CRM in SQLite and recordings in a
/// folder: references cross all three stores.
@Suite("Mixed-store example (PostgreSQL + SQLite + files)")
struct MixedStoreExampleTests {
    static func makeExample(schema: String, client: PostgresClient) async throws -> CallCenterDataSet {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("dsar-mixed-\(schema)")
        let dataSet = try CallCenterDataSet.generate(into: folder)
        let statements = try dataSet.makePostgresVariant(url: PostgresTestServer.url ?? "", passwordEnv: PostgresTestServer.passwordVariable,
                                                         schema: schema)
        for statement in statements { try await client.query(PostgresQuery(unsafeSQL: statement)) }
        return dataSet
    }

    @Test("Discovery across the three stores equals the generator's ground truth for every person")
    func discovery() async throws {
        guard PostgresTestServer.available() else { return }
        try await PostgresTestServer.withSchema { schema, client in
            let dataSet = try await Self.makeExample(schema: schema, client: client)
            let catalog = try Catalog.load(from: dataSet.postgresCatalogURL)
            #expect(catalog.collection(named: "calls")?.store == "telephony")
            let stores = try StoreSet.open(for: catalog, openers: ["postgres": PostgresStore.opener])
            let discovery = Discovery(catalog: catalog, stores: stores)
            for person in dataSet.people {
                let subject = try DataSubject(parsing: ["email:\(person.email)"], catalog: catalog)
                let result = try await discovery.discover(subject)
                let expected = dataSet.expectation(for: person)
                #expect(Set(result.records.map(\.item)) == expected.records, "customer \(person.customerID)")
                #expect(Set(result.files.map { "\($0.store)/\($0.path)" }) == expected.files, "customer \(person.customerID)")
                #expect(Set(result.conflicts.map(\.item)) == expected.conflicts, "customer \(person.customerID)")
                #expect(Set(result.ambiguous.map(\.item)) == expected.ambiguous, "customer \(person.customerID)")
            }
            (stores["telephony"] as? PostgresStore)?.close()
        }
    }

    @Test("check passes on the mixed catalog and finds the PostgreSQL indexes")
    func check() async throws {
        guard PostgresTestServer.available() else { return }
        try await PostgresTestServer.withSchema { schema, client in
            let dataSet = try await Self.makeExample(schema: schema, client: client)
            let catalog = try Catalog.load(from: dataSet.postgresCatalogURL)
            let problems = await CatalogCheck(catalog: catalog).run(openers: ["postgres": PostgresStore.opener])
            #expect(problems.isEmpty, "\(problems)")
        }
    }

    @Test("dsar discover reads the mixed catalog with the password from the environment")
    func cli() async throws {
        guard PostgresTestServer.available() else { return }
        try await PostgresTestServer.withSchema { schema, client in
            let dataSet = try await Self.makeExample(schema: schema, client: client)
            let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("dsar")
            let process = Process()
            process.executableURL = FileManager.default.isExecutableFile(atPath: binary.path)
                ? binary : URL(fileURLWithPath: ".build/debug/dsar")
            process.arguments = ["discover", "--catalog", dataSet.postgresCatalogURL.path, "--subject", "email:amel.benali@example.tn", "--json"]
            let pipe = Pipe()
            process.standardOutput = pipe
            try process.run()
            let output = pipe.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            #expect(process.terminationStatus == 0)
            let object = try JSONSerialization.jsonObject(with: output) as? [String: Any]
            let records = object?["records"] as? [[String: Any]] ?? []
            let expected = dataSet.expectation(for: try #require(dataSet.person(email: "amel.benali@example.tn")))
            #expect(records.count == expected.records.count)

            // dsar access opens the PostgreSQL store too, and packages the same records.
            let package = dataSet.directory.appendingPathComponent("amel-cli.tar.gz")
            let access = Process()
            access.executableURL = process.executableURL
            access.arguments = ["access", "--catalog", dataSet.postgresCatalogURL.path, "--subject", "email:amel.benali@example.tn",
                                "--no-encryption", "--format", "tar.gz", "--out", package.path, "--json"]
            let accessPipe = Pipe()
            access.standardOutput = accessPipe
            try access.run()
            let summary = accessPipe.fileHandleForReading.readDataToEndOfFile()
            access.waitUntilExit()
            #expect(access.terminationStatus == 0)
            let written = try JSONSerialization.jsonObject(with: summary) as? [String: Any]
            #expect(written?["records"] as? Int == expected.records.count)
        }
    }
}

extension FoundRecord {
    var item: ExpectedItem { ExpectedItem(collection: id.collection, key: id.key.values.map(\.description).joined(separator: ",")) }
}

extension ExcludedRecord {
    var item: ExpectedItem { ExpectedItem(collection: id.collection, key: id.key.values.map(\.description).joined(separator: ",")) }
}
