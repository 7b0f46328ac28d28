import DSARKit
import Foundation
import GRDB
import Testing

/// Opaque identifiers written as UUIDs are one identifier whatever the case of their hex digits.
@Suite("UUID identifiers")
struct UUIDIdentifierTests {
    static let upper = "6F9619FF-8B86-D011-B42D-00C04FC964FF"
    static let lower = "6f9619ff-8b86-d011-b42d-00c04fc964ff"

    @Test("A UUID given in either case finds the rows holding it in upper case and in lower case, and no one else's")
    func eitherCase() async throws {
        let folder = try ExampleData.temporaryFolder()
        try await DatabaseQueue(path: folder.appendingPathComponent("crm.sqlite").path).write { db in
            try db.execute(sql: """
                CREATE TABLE customers (id TEXT PRIMARY KEY, name TEXT);
                INSERT INTO customers VALUES ('\(Self.upper)', 'A'), ('1B4E28BA-2FA1-11D2-883F-0016D3CCA427', 'B');
                CREATE TABLE tickets (id INTEGER PRIMARY KEY, customer_ref TEXT);
                INSERT INTO tickets VALUES (1, '\(Self.lower)'), (2, '1b4e28ba-2fa1-11d2-883f-0016d3cca427');
                """)
        }
        let catalog = Catalog(
            controller: Controller(name: "Opaque SARL", contact: "dpo@example.com"),
            identifiers: [IdentifierType(name: "customer_id", kind: .opaque)],
            stores: [StoreDeclaration(name: "crm", type: "sqlite", settings: ["path": "crm.sqlite"])],
            collections: [
                DataCollection(name: "customers", store: "crm", table: "customers", key: ["id"],
                               identifiers: [IdentifierColumn(column: "id", type: "customer_id")]),
                DataCollection(name: "tickets", store: "crm", table: "tickets", key: ["id"],
                               identifiers: [IdentifierColumn(column: "customer_ref", type: "customer_id")]),
            ],
            baseDirectory: folder)
        let stores = try StoreSet.open(for: catalog)
        for given in [Self.upper, Self.lower, " \(Self.upper) "] {
            let subject = try DataSubject(parsing: ["customer_id:\(given)"], catalog: catalog)
            let result = try await Discovery(catalog: catalog, stores: stores).discover(subject)
            #expect(result.records.map(\.id.description).sorted() == ["customers[id=\(Self.upper)]", "tickets[id=1]"], "given \(given)")
            #expect(result.conflicts.isEmpty)
        }
        let other = try DataSubject(parsing: ["customer_id:6F9619FF-8B86-D011-B42D-00C04FC964FE"], catalog: catalog)
        #expect(try await Discovery(catalog: catalog, stores: stores).discover(other).records.isEmpty, "one digit apart is someone else")
    }

    @Test("Opaque values that are no UUID keep their case")
    func otherOpaqueValues() throws {
        let type = IdentifierType(name: "customer_id", kind: .opaque)
        #expect(type.normalize(" AB-12 ") == "AB-12")
        #expect(type.normalize(Self.upper) == Self.lower)
        #expect(type.normalize("6F9619FF8B86D011B42D00C04FC964FF") == "6F9619FF8B86D011B42D00C04FC964FF")
    }
}
