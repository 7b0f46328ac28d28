import DSARKit
import DSARKitTesting
import Foundation
import Testing

@Suite("Unusual keys in packages")
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

    static let catalog = Catalog(
        controller: Controller(name: "Atlas Contact SARL", contact: "dpo@example.com"),
        identifiers: [IdentifierType(name: "customer_id", kind: .opaque), IdentifierType(name: "email", kind: .email)],
        stores: [StoreDeclaration(name: "crm", type: "memory")],
        collections: [
            DataCollection(name: "subscribers", store: "crm", table: "subscribers", key: ["email"],
                           identifiers: [IdentifierColumn(column: "email", type: "email")], purpose: "Newsletter", lawfulBasis: .fixed(.consent)),
            DataCollection(name: "tags", store: "crm", table: "tags", key: ["tenant", "id"],
                           references: [Reference(column: "email", targetCollection: "subscribers", targetColumn: "email")],
                           purpose: "Segments", lawfulBasis: .fixed(.consent)),
        ])

    func package(_ crm: InMemoryStore, change: (InMemoryStore) -> Void) async throws -> (PackageSummary?, (any Error)?) {
        let stores = StoreSet([crm])
        let subject = try DataSubject(parsing: ["email:amel@example.tn"], catalog: Self.catalog)
        let result = try await Discovery(catalog: Self.catalog, stores: stores).discover(subject, keeping: .linkColumns)
        change(crm)
        let url = try ExampleData.temporaryFolder().appendingPathComponent("package.zip")
        do {
            let options = AccessPackageOptions(format: .zip, encryption: .none, requestID: "REQ-KEYS")
            return (try await AccessPackageWriter(catalog: Self.catalog, stores: stores).write(result: result, to: url, options: options), nil)
        } catch {
            #expect(!FileManager.default.fileExists(atPath: url.path), "nothing at the destination")
            return (nil, error)
        }
    }

    static func store(tags: [[Value]]) -> InMemoryStore {
        let crm = InMemoryStore(name: "crm")
        crm.createTable("subscribers", columns: ["email", "since"], rows: [[.text("amel@example.tn"), .text("2025")],
                                                                           [.text("y@example.fr"), .text("2024")]])
        crm.createTable("tags", columns: ["tenant", "id", "email", "tag"], rows: tags)
        return crm
    }

    @Test("A composite key is read back, and a key shared by two rows is refused as a catalog error")
    func compositeAndDuplicateKeys() async throws {
        let tags: [[Value]] = (1...3).map { [.text("t1"), .integer(Int64($0)), .text("amel@example.tn"), .text("tag \($0)")] }
            + [[.text("t1"), .integer(9), .text("y@example.fr"), .text("other")]]
        let (summary, error) = try await package(Self.store(tags: tags)) { _ in }
        #expect(error == nil, "\(String(describing: error))")
        #expect(summary?.collections.first { $0.collection == "tags" }?.records == 3)

        let (_, duplicate) = try await package(Self.store(tags: tags)) { crm in
            crm.insert(into: "tags", rows: [[.text("t1"), .integer(2), .text("amel@example.tn"), .text("a second row with key t1/2")]])
        }
        let failure = try #require(duplicate as? DSARError)
        #expect(failure.code == .invalidCatalog)
        #expect(failure.description.contains("crm/tags") && failure.description.contains("unique key"), "\(failure)")
    }

    @Test("A record keyed by an email that vanished is named by a digest, not by the email")
    func emailKey() async throws {
        let (_, error) = try await package(Self.store(tags: [])) { crm in
            crm.createTable("subscribers", columns: ["email", "since"], rows: [[.text("y@example.fr"), .text("2024")]])
        }
        let failure = try #require(error as? DSARError)
        #expect(failure.code == .dataChanged)
        #expect(failure.description.contains("crm/subscribers[row "), "\(failure)")
        #expect(!failure.description.contains("amel"), "no email in the message: \(failure)")
    }
}
