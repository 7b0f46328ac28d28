import CallCenterExample
import DSARKit
import Foundation
import GRDB
import Testing

@Suite("A subject with thousands of records")
struct ManyRecordsTests {
    /// More calls than one read batch holds, so every entry is written over several batches.
    static let extraCalls = 1_234

    static func text(_ value: DatabaseValue) -> String {
        switch value.storage {
        case .null: ""
        case .int64(let int): String(int)
        case .double(let double): "\(double)"
        case .string(let string): string
        case .blob(let data): data.base64EncodedString()
        }
    }

    @Test("Every call reaches the CSV, the JSON, the page and the manifest once, in key order, equal to the store",
          arguments: [PackageFormat.tarGzip, .zip])
    func thousandsOfCalls(_ format: PackageFormat) async throws {
        let folder = try ExampleData.temporaryFolder()
        let dataSet = try CallCenterDataSet.generate(into: folder.appendingPathComponent("example"), customers: 12, seed: 7)
        let person = try #require(dataSet.people.first)
        let database = try DatabaseQueue(path: dataSet.databaseURL.path)
        try await database.write { db in
            for index in 0..<Self.extraCalls {
                try db.execute(sql: "INSERT INTO calls (customer_id, started_at, duration_s, reason, agent_notes) VALUES (?, ?, ?, ?, ?)",
                               arguments: [person.customerID, "2026-01-01T10:00:00Z", index, "follow-up", "note \"\(index)\", line\nbreak"])
            }
        }
        // The example's own calls of this person (some reached by phone only), and the new ones.
        let known = dataSet.expectation(for: person).records.filter { $0.collection == "calls" }.compactMap { Int64($0.key) }
        let expected = try await database.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM calls WHERE customer_id = ? OR id IN (SELECT value FROM json_each(?)) ORDER BY id",
                             arguments: [person.customerID, "[\(known.map(String.init).joined(separator: ","))]"])
        }
        #expect(expected.count > Self.extraCalls)

        let fixture = try AccessFixture(dataSet)
        let result = try await fixture.discover(["email:\(person.email)"])
        let url = folder.appendingPathComponent("package.\(format.fileExtension)")
        let summary = try await AccessPackageWriter(catalog: fixture.catalog, stores: fixture.stores)
            .write(result: result, to: url, options: AccessFixture.options(format))
        #expect(try PackageVerifier.verify(url).isValid)
        #expect(summary.collections.first { $0.collection == "calls" }?.records == expected.count)

        let extracted = try AccessFixture.extract(url, with: "bsdtar")
        let csv = try CSVTestParser.parse(String(contentsOf: extracted.appendingPathComponent("data/calls.csv"), encoding: .utf8))
        let header = try #require(csv.first)
        #expect(header == Array(expected[0].columnNames))
        let cells = expected.map { row in row.columnNames.map { Self.text(row[$0]) } as [String] }
        let sameCells = Array(csv.dropFirst()) == cells
        #expect(sameCells, "every cell equals the store; first difference at row \(Array(zip(csv.dropFirst(), cells)).firstIndex { $0 != $1 } ?? -1)")
        let notes = try #require(header.firstIndex(of: "agent_notes"))
        let ids = try #require(header.firstIndex(of: "id"))
        let sameIDs = csv.dropFirst().map { $0[ids] } == expected.map { String($0["id"] as Int64) }
        #expect(sameIDs, "every call once, in key order")
        let sameNotes = csv.dropFirst().map { $0[notes] } == expected.map { ($0["agent_notes"] as String?) ?? "" }
        #expect(sameNotes)

        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: extracted.appendingPathComponent("data/calls.json")))
            as? [[String: Any]])
        let sameJSON = json.map { $0["id"] as? Int } == expected.map { Int($0["id"] as Int64) }
            && json.map { $0["duration_s"] as? Int } == expected.map { Int($0["duration_s"] as Int64) }
        #expect(sameJSON, "data/calls.json holds every call, in key order")

        let page = try String(contentsOf: extracted.appendingPathComponent("index.html"), encoding: .utf8)
        let section = try #require(page.components(separatedBy: "<section class=\"collection\" id=\"c-calls\">").dropFirst().first)
        let table = try #require(section.components(separatedBy: "</table>").first)
        #expect(table.components(separatedBy: "<tr").count - 2 == expected.count, "one row per call (and the header)")

        let manifest = try AccessFixture.manifest(in: extracted)
        let keys = manifest.records.filter { $0.collection == "calls" }.compactMap { $0.key["id"] }
        let sameKeys = keys == expected.map { Value.integer($0["id"] as Int64) }
        #expect(sameKeys, "the manifest lists every call, in key order")
        #expect(manifest.records.filter { $0.collection == "calls" }.allSatisfy { !$0.provenance.isEmpty })
    }

    @Test("A result whose records are not in discovery's order gives the same package")
    func anyOrder() async throws {
        let fixture = try AccessFixture()
        var result = try await fixture.discover(["email:amel.benali@example.tn"])
        let folder = try ExampleData.temporaryFolder()
        let writer = AccessPackageWriter(catalog: fixture.catalog, stores: fixture.stores)
        let ordered = folder.appendingPathComponent("ordered.tar.gz")
        _ = try await writer.write(result: result, to: ordered, options: AccessFixture.options(.tarGzip))
        var generator = SplitMix64(seed: 3)
        result.records.shuffle(using: &generator)
        let shuffled = folder.appendingPathComponent("shuffled.tar.gz")
        _ = try await writer.write(result: result, to: shuffled, options: AccessFixture.options(.tarGzip))
        #expect(try Data(contentsOf: ordered) == Data(contentsOf: shuffled), "same bytes")
    }
}
