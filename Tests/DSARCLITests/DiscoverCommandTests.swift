import CallCenterExample
import Foundation
import Testing

@Suite("dsar discover")
struct DiscoverCommandTests {
    @Test("--json lists exactly the subject's records and files, the household conflict and the items to review")
    func json() throws {
        let example = try CLI.example()
        let output = try CLI.run(["discover", "--catalog", example.catalogURL.path, "--subject", "email:amel.benali@example.tn", "--json"])
        #expect(output.status == 0, "\(output.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any])
        let expected = example.expectation(for: try #require(example.person(email: "amel.benali@example.tn")))
        #expect(items(object["records"]) == expected.records)
        #expect(items(object["conflicts"]) == expected.conflicts)
        #expect(items(object["ambiguous"]) == expected.ambiguous)
        let files = Set((object["files"] as? [[String: Any]] ?? []).map { "\($0["store"] as? String ?? "")/\($0["path"] as? String ?? "")" })
        #expect(files == expected.files)
        let records = object["records"] as? [[String: Any]] ?? []
        #expect(records.allSatisfy { ($0["provenance"] as? [Any])?.isEmpty == false }, "every record says why")
        let conflicts = object["conflicts"] as? [[String: Any]] ?? []
        #expect(conflicts.allSatisfy { $0["identifier"] is String })
    }

    @Test("The human summary gives counts per collection, files, conflicts and items to review")
    func summary() throws {
        let example = try CLI.example()
        let output = try CLI.run(["discover", "--subject", "email:Amel.BenAli@example.tn"], in: example.directory)
        #expect(output.status == 0, "\(output.stderr)")
        #expect(output.stdout.contains("recordings (crm) — 4 records, 4 files"))
        #expect(output.stdout.contains("Not included — another person's data (3)"))
        #expect(output.stdout.contains("Not included — ambiguous, please review (3)"), "the anonymous call, its recording, the voicemail")
        #expect(!output.stdout.contains("youssef"), "another person's identifiers never appear")
    }

    @Test("Hostile identifier values are data: one clear line or nothing found, and the database is unchanged")
    func hostile() throws {
        let example = try CLI.example()
        let before = try sqliteScalar(example.databaseURL, "SELECT count(*) FROM customers")
        let values = [
            "customer_id:1'; DROP TABLE customers; --", "customer_id:%", "customer_id:1 OR 1=1",
            "customer_id:" + String(repeating: "x", count: 10_000), "email:%@%", "email:o'brien\"@example.com",
        ]
        for value in values {
            let output = try CLI.run(["discover", "--catalog", example.catalogURL.path, "--subject", value, "--json"])
            #expect(output.status == 0, "\(output.stderr.prefix(200))")
            let object = try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any]
            #expect((object?["records"] as? [Any])?.isEmpty == true)
        }
        let refused = try CLI.run(["discover", "--catalog", example.catalogURL.path, "--subject", "email:'; DROP TABLE customers; --"])
        #expect(refused.status != 0)
        #expect(refused.stderr.split(separator: "\n").count == 1)
        #expect(!refused.stderr.contains("DROP"), "the value is not echoed")
        #expect(try sqliteScalar(example.databaseURL, "SELECT count(*) FROM customers") == before)
    }

    @Test("An unknown identifier type is refused with the types the catalog knows")
    func unknownType() throws {
        let example = try CLI.example()
        let output = try CLI.run(["discover", "--catalog", example.catalogURL.path, "--subject", "passport:12AB34"])
        #expect(output.status != 0)
        #expect(output.stderr.contains("unknown identifier type 'passport'"))
        #expect(output.stderr.contains("customer_id, email, phone"))
    }

    @Test("No subject is a usage error")
    func noSubject() throws {
        let output = try CLI.run(["discover"])
        #expect(output.status != 0)
        #expect(output.stderr.contains("--subject"))
    }

    @Test("Emails in a child table: the email and the customer id each find the customer and her email row")
    func childEmailTable() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("dsar-child-email-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try sqlite(folder.appendingPathComponent("crm.sqlite"), """
            CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT);
            CREATE TABLE customer_emails (id INTEGER PRIMARY KEY, customer_id INTEGER REFERENCES customers(id), email TEXT);
            CREATE INDEX customer_emails_email ON customer_emails (lower(trim(email)));
            CREATE INDEX customer_emails_customer ON customer_emails (customer_id);
            INSERT INTO customers VALUES (1, 'A'), (2, 'B');
            INSERT INTO customer_emails VALUES (10, 1, 'amel@example.tn'), (11, 2, 'youssef@example.fr');
            """)
        try """
            version: 1
            controller: { name: Atlas Contact SARL, contact: dpo@example.com }
            identifiers:
              customer_id: { type: opaque }
              email: { type: email }
            stores:
              crm: { type: sqlite, path: crm.sqlite }
            collections:
              customers: { store: crm, table: customers, key: id, identifiers: { id: customer_id }, erase: delete }
              customer_emails:
                store: crm
                table: customer_emails
                key: id
                identifiers: { email: email }
                references: { customer_id: customers.id }
                erase: delete
            """.write(to: folder.appendingPathComponent("dsar.yaml"), atomically: true, encoding: .utf8)
        for subject in ["email:amel@example.tn", "customer_id:1"] {
            let output = try CLI.run(["discover", "--subject", subject, "--json"], in: folder)
            #expect(output.status == 0, "\(output.stderr)")
            let object = try #require(try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any])
            #expect(items(object["records"]) == [ExpectedItem("customers", 1), ExpectedItem("customer_emails", 10)], "\(subject)")
            #expect(items(object["conflicts"]).isEmpty, "\(subject)")
        }
    }

    private func items(_ value: Any?) -> Set<ExpectedItem> {
        Set((value as? [[String: Any]] ?? []).map { item in
            let key = (item["key"] as? [String: Any])?.values.first
            let text = (key as? NSNumber)?.stringValue ?? (key as? String) ?? ""
            return ExpectedItem(collection: item["collection"] as? String ?? "", key: text)
        })
    }
}
