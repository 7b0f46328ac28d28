import DSARKit
import Foundation
import GRDB
import Testing

/// `dsar check` advises an index only where no index serves the lookup discovery makes.
@Suite("Index advice on SQLite")
struct IndexAdviceTests {
    /// A SQLite table `contacts` made by `sql`, looked up by `ref` (opaque), `email` (email)
    /// and `attributes.phone` (a phone inside JSON).
    static func advice(_ sql: String) async throws -> (advice: [String: CatalogProblem], database: URL, catalog: Catalog) {
        let folder = try ExampleData.temporaryFolder()
        let database = folder.appendingPathComponent("crm.sqlite")
        try await DatabaseQueue(path: database.path).write { db in
            try db.execute(sql: "CREATE TABLE contacts (id INTEGER PRIMARY KEY, ref TEXT, email TEXT, attributes JSON, account_id INTEGER);" + sql)
        }
        let catalog = Catalog(
            controller: Controller(name: "Indexed SARL", contact: "dpo@example.com"),
            identifiers: [IdentifierType(name: "ref", kind: .opaque), IdentifierType(name: "email", kind: .email),
                          IdentifierType(name: "phone", kind: .phone, regions: ["FR"])],
            stores: [StoreDeclaration(name: "crm", type: "sqlite", settings: ["path": "crm.sqlite"])],
            collections: [DataCollection(name: "contacts", store: "crm", table: "contacts", key: ["id"], identifiers: [
                IdentifierColumn(column: "ref", type: "ref"), IdentifierColumn(column: "email", type: "email"),
                IdentifierColumn(column: "attributes.phone", type: "phone"),
            ], purpose: "Contacts", lawfulBasis: .fixed(.contract))],
            baseDirectory: folder)
        var advice: [String: CatalogProblem] = [:]
        for problem in await CatalogCheck(catalog: catalog).run() where problem.severity == .warning {
            for column in ["'ref'", "'email'", "'attributes.phone'"] where problem.message.contains("column \(column)") {
                advice[String(column.dropFirst().dropLast())] = problem
            }
        }
        return (advice, database, catalog)
    }

    @Test("A composite index leading with the column serves its lookups; one where it comes second does not")
    func compositeIndexes() async throws {
        let leading = try await Self.advice("CREATE INDEX contacts_ref_account ON contacts (ref, account_id);")
        #expect(leading.advice["ref"] == nil, "\(leading.advice)")
        let second = try await Self.advice("CREATE INDEX contacts_account_ref ON contacts (account_id, ref);")
        #expect(second.advice["ref"]?.fix == #"CREATE INDEX "contacts_ref" ON "contacts" ("ref")"#)
    }

    @Test("A phone inside a JSON column gets the json_extract index its lookup uses; once created, no advice")
    func jsonIdentifier() async throws {
        let bare = try await Self.advice("")
        let fix = try #require(bare.advice["attributes.phone"]?.fix, "\(bare.advice)")
        #expect(fix == #"CREATE INDEX "contacts_attributes_phone" ON "contacts" (json_extract("attributes", '$.phone'))"#)
        let indexed = try await Self.advice(fix.replacingOccurrences(of: #""contacts_attributes_phone""#, with: "mine") + ";")
        #expect(indexed.advice["attributes.phone"] == nil, "\(indexed.advice)")
    }

    @Test("An index on lower(email) is named as one lookups cannot use (they compare the trimmed, ASCII-folded address), with the one to create")
    func lowerEmail() async throws {
        let result = try await Self.advice("CREATE INDEX contacts_lower_email ON contacts (lower(email));")
        let problem = try #require(result.advice["email"], "\(result.advice)")
        #expect(problem.message.contains("lower(email)") && problem.message.contains("cannot use"), "\(problem)")
        #expect(problem.fix?.contains("lower(trim(\"email\", char(9, 10") == true, "\(problem)")
        let folded = try await Self.advice("CREATE INDEX contacts_email_ci ON contacts (lower(trim(email, char(9, 10, 11, 12, 13, 32, 133, 160, 5760, 8192, 8193, 8194, 8195, 8196, 8197, 8198, 8199, 8200, 8201, 8202, 8232, 8233, 8239, 8287, 12288, 65279))));")
        #expect(folded.advice["email"] == nil, "\(folded.advice)")
    }
}
