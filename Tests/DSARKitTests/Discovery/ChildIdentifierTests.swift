import DSARKit
import Testing

/// Emails kept in a child table (`customer_emails(customer_id → customers.id, email)`): a row
/// linked to the subject's own record is hers unless another person is known to hold its value.
@Suite("Discovery: identifiers in child tables")
struct ChildIdentifierTests {
    typealias Fixture = ContactCentreFixture

    @Test("One person: her email finds her customer row and her email row, and so does her customer id")
    func onePerson() async throws {
        let stores = Fixture.stores(customers: [1], emails: [(10, 1, "amel@example.tn")])
        for subject in ["email:Amel@Example.TN", "customer_id:1"] {
            let result = try await Fixture.discover([subject], in: stores)
            #expect(result.recordNames == ["customers:1", "customer_emails:10"], "\(subject)")
            #expect(result.conflicts.isEmpty, "\(subject): \(result.conflicts.map(\.reason))")
        }
    }

    @Test("Two customers with an email row each: each finds only their own")
    func twoCustomers() async throws {
        let stores = Fixture.stores(customers: [1, 2], emails: [(10, 1, "amel@example.tn"), (11, 2, "youssef@example.fr")])
        let amel = try await Fixture.discover(["email:amel@example.tn"], in: stores)
        #expect(amel.recordNames == ["customers:1", "customer_emails:10"])
        #expect(amel.conflicts.isEmpty)
        let youssef = try await Fixture.discover(["customer_id:2"], in: stores)
        #expect(youssef.recordNames == ["customers:2", "customer_emails:11"])
        #expect(youssef.conflicts.isEmpty)
    }

    @Test("One customer with two email rows: either email finds both rows")
    func twoEmails() async throws {
        let stores = Fixture.stores(customers: [1], emails: [(10, 1, "amel@example.tn"), (11, 1, "amel@work.example")])
        let result = try await Fixture.discover(["email:amel@work.example"], in: stores)
        #expect(result.recordNames == ["customers:1", "customer_emails:10", "customer_emails:11"])
        #expect(result.conflicts.isEmpty)
        let ids = Set(result.identifiers.map(\.identifier.description))
        #expect(ids.isSuperset(of: ["customer_id:1", "email:amel@example.tn"]))
    }

    @Test("An email held by two customers is a conflict for the rows that carry it, and only for them")
    func emailHeldByTwo() async throws {
        let stores = Fixture.stores(customers: [1, 2], emails: [
            (10, 1, "family@example.tn"), (11, 1, "amel@example.tn"), (12, 2, "family@example.tn"), (13, 2, "youssef@example.fr"),
        ])
        let amel = try await Fixture.discover(["customer_id:1"], in: stores)
        #expect(amel.recordNames == ["customers:1", "customer_emails:11"])
        #expect(amel.conflictNames == ["customer_emails:10", "customer_emails:12"])
        let youssef = try await Fixture.discover(["customer_id:2"], in: stores)
        #expect(youssef.recordNames == ["customers:2", "customer_emails:13"])
        #expect(youssef.conflictNames == ["customer_emails:10", "customer_emails:12"])
        let family = try await Fixture.discover(["email:family@example.tn"], in: stores)
        #expect(family.records.isEmpty)
        #expect(family.conflictNames == ["customer_emails:10", "customer_emails:12"])
        let byOwnEmail = try await Fixture.discover(["email:amel@example.tn"], in: stores)
        #expect(byOwnEmail.recordNames == ["customers:1", "customer_emails:11"])
        #expect(!byOwnEmail.recordNames.contains("customers:2"))
    }
}
