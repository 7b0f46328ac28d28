import DSARKit
import Foundation
import GRDB
import Testing

/// `data/<collection>.json` keeps each column's type: JSON columns as JSON, booleans as
/// `true`/`false`, numbers as numbers, NULL as null; text stays text, and the CSV stays text.
@Suite("Typed values in access packages")
struct TypedPackageTests {
    @Test("A SQLite table's JSON, BOOLEAN, INTEGER, REAL and NUMERIC columns read back from data/*.json with their types")
    func sqliteTypes() async throws {
        let folder = try ExampleData.temporaryFolder()
        let queue = try DatabaseQueue(path: folder.appendingPathComponent("crm.sqlite").path)
        try await queue.write { db in
            try db.execute(sql: """
                CREATE TABLE contacts (id INTEGER PRIMARY KEY, email TEXT, attributes JSON, vip BOOLEAN, score REAL,
                                       balance NUMERIC, code TEXT, notes JSON, gone TEXT);
                INSERT INTO contacts VALUES (1, 'ana@example.com', '{"phone": "+33612345678", "tags": ["a", "b"], "n": 12345678901234567890}',
                                             1, 2.5, '12.75', '0042', 'not json', NULL);
                INSERT INTO contacts VALUES (2, 'bob@example.com', '[1, 2]', 0, NULL, NULL, NULL, NULL, 'x');
                """)
        }
        let catalog = Catalog(
            controller: Controller(name: "Typed SARL", contact: "dpo@example.com"),
            identifiers: [IdentifierType(name: "email", kind: .email)],
            stores: [StoreDeclaration(name: "crm", type: "sqlite", settings: ["path": "crm.sqlite"])],
            collections: [DataCollection(name: "contacts", store: "crm", table: "contacts", key: ["id"],
                                         identifiers: [IdentifierColumn(column: "email", type: "email")],
                                         purpose: "Contacts", lawfulBasis: .fixed(.contract))],
            baseDirectory: folder)
        let (rows, csv) = try await Self.package(catalog: catalog, subject: "email:ana@example.com", collection: "contacts")
        let row = try #require(rows.first)
        #expect(rows.count == 1, "only Ana's row")
        let attributes = try #require(row["attributes"] as? [String: Any], "a JSON column is an object, not a string")
        #expect(attributes["phone"] as? String == "+33612345678")
        #expect(attributes["tags"] as? [String] == ["a", "b"])
        #expect(Self.isBoolean(row["vip"], true), "a BOOLEAN 1 is true")
        #expect(Self.isNumber(row["id"], "1"))
        #expect(Self.isNumber(row["score"], "2.5"))
        #expect(Self.isNumber(row["balance"], "12.75"))
        #expect(row["code"] as? String == "0042", "text that looks like a number stays text")
        #expect(row["notes"] as? String == "not json", "a JSON column holding no JSON is its text")
        #expect(row["gone"] is NSNull)
        #expect(csv.contains("\"{\"\"phone\"\"") && csv.contains(",1,2.5,12.75,0042,"), "the CSV stays text: \(csv)")
    }

    /// Discovers `subject`, writes its package and returns `collection`'s JSON rows and CSV text.
    static func package(catalog: Catalog, stores: StoreSet? = nil, subject: String,
                        collection: String) async throws -> ([[String: Any]], String) {
        let stores = try stores ?? StoreSet.open(for: catalog)
        let result = try await Discovery(catalog: catalog, stores: stores)
            .discover(try DataSubject(parsing: [subject], catalog: catalog), keeping: .linkColumns)
        let url = try ExampleData.temporaryFolder().appendingPathComponent("package.tar.gz")
        let options = AccessPackageOptions(format: .tarGzip, encryption: .none, requestID: "REQ-TYPED")
        _ = try await AccessPackageWriter(catalog: catalog, stores: stores).write(result: result, to: url, options: options)
        #expect(try PackageVerifier.verify(url).isValid)
        let folder = try AccessFixture.extract(url, with: "bsdtar")
        let data = try Data(contentsOf: folder.appendingPathComponent("data/\(collection).json"))
        let rows = try #require(try JSONSerialization.jsonObject(with: data) as? [[String: Any]])
        let csv = try String(contentsOf: folder.appendingPathComponent("data/\(collection).csv"), encoding: .utf8)
        return (rows, csv)
    }

    /// Whether `value` was a JSON `true`/`false` (not the number 1/0, not a string): JSONSerialization
    /// reads JSON booleans as a boolean `NSNumber`, whose `objCType` is `c`, and numbers as other kinds.
    static func isBoolean(_ value: Any?, _ expected: Bool) -> Bool {
        guard let number = value as? NSNumber, String(cString: number.objCType) == "c" else { return false }
        return number.boolValue == expected
    }

    /// Whether `value` was a JSON number (not a boolean, not a string) reading as `text`.
    static func isNumber(_ value: Any?, _ text: String) -> Bool {
        guard let number = value as? NSNumber, String(cString: number.objCType) != "c" else { return false }
        return number.stringValue == text || "\(number.doubleValue)" == text
    }
}
