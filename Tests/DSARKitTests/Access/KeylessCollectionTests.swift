import DSARKit
import DSARKitTesting
import Foundation
import Testing

@Suite("Collections without a key in packages")
struct KeylessCollectionTests {
    @Test("Rows named by all their columns are read back and packaged, even when their first column is NULL")
    func keylessRows() async throws {
        let catalog = Catalog(
            controller: Controller(name: "Atlas Contact SARL", contact: "dpo@example.com"),
            identifiers: [IdentifierType(name: "customer_id", kind: .opaque), IdentifierType(name: "email", kind: .email)],
            stores: [StoreDeclaration(name: "crm", type: "memory")],
            collections: [
                DataCollection(name: "customers", store: "crm", table: "customers", key: ["id"], identifiers: [
                    IdentifierColumn(column: "id", type: "customer_id"), IdentifierColumn(column: "email", type: "email"),
                ], purpose: "Accounts", lawfulBasis: .fixed(.contract)),
                DataCollection(name: "notes", store: "crm", table: "notes",
                               references: [Reference(column: "customer_id", targetCollection: "customers", targetColumn: "id")],
                               purpose: "Notes", lawfulBasis: .fixed(.contract)),
            ])
        let crm = InMemoryStore(name: "crm")
        crm.createTable("customers", columns: ["id", "email"], rows: [[.integer(1), .text("amel@example.tn")], [.integer(2), .text("y@example.fr")]])
        crm.createTable("notes", columns: ["author", "customer_id", "text"], rows: [
            [.null, .integer(1), .text("called back")],
            [.text("karim"), .integer(1), .text("sent the contract")],
            [.null, .integer(2), .text("someone else's note")],
        ])
        let stores = StoreSet([crm])
        let subject = try DataSubject(parsing: ["email:amel@example.tn"], catalog: catalog)
        let result = try await Discovery(catalog: catalog, stores: stores).discover(subject, keeping: .linkColumns)
        #expect(result.records(in: "notes").count == 2)

        let url = try ExampleData.temporaryFolder().appendingPathComponent("package.tar.gz")
        let options = AccessPackageOptions(format: .tarGzip, encryption: .none, requestID: "REQ-KEYLESS")
        let summary = try await AccessPackageWriter(catalog: catalog, stores: stores).write(result: result, to: url, options: options)
        #expect(summary.collections.first { $0.collection == "notes" }?.records == 2)
        let folder = try AccessFixture.extract(url, with: "bsdtar")
        let csv = try CSVTestParser.parse(String(contentsOf: folder.appendingPathComponent("data/notes.csv"), encoding: .utf8))
        #expect(Set(csv.dropFirst().map { $0[2] }) == ["called back", "sent the contract"])
        #expect(try PackageVerifier.verify(url).isValid)

        // A row that vanished is named by a digest: its "key" is all its values.
        crm.createTable("notes", columns: ["author", "customer_id", "text"], rows: [[.text("karim"), .integer(1), .text("sent the contract")]])
        let again = url.deletingLastPathComponent().appendingPathComponent("again.tar.gz")
        do {
            _ = try await AccessPackageWriter(catalog: catalog, stores: stores).write(result: result, to: again, options: options)
            Issue.record("a vanished row must stop the package")
        } catch let error as DSARError {
            #expect(error.code == .dataChanged)
            #expect(error.description.contains("crm/notes[row "), "\(error)")
            #expect(!error.description.contains("called back"), "no values in the message: \(error)")
        }
    }
}
