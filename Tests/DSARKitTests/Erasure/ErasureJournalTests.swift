import DSARKit
import DSARKitTesting
import Foundation
import Testing

/// The journal keeps the plan's identifiers exactly: a resumed run verifies with every one of
/// them, or says why it cannot.
@Suite("Erasure journal")
struct ErasureJournalTests {
    struct Interrupted: Error {}

    /// The household catalog after someone renamed the identifier type `customer_id`.
    private var renamedCatalog: Catalog {
        var catalog = HouseholdFixture.catalog
        for index in catalog.identifiers.indices where catalog.identifiers[index].name == "customer_id" {
            catalog.identifiers[index].name = "client_id"
        }
        for collection in catalog.collections.indices {
            for column in catalog.collections[collection].identifiers.indices
            where catalog.collections[collection].identifiers[column].type == "customer_id" {
                catalog.collections[collection].identifiers[column].type = "client_id"
            }
        }
        return catalog
    }

    @Test("A resumed run whose identifier type the catalog no longer declares is not certified complete: it fails, naming the type")
    func resumeKeepsEveryIdentifier() async throws {
        let ledger = try Ledger(url: try ExampleData.temporaryFolder().appendingPathComponent("ledger.sqlite"))
        try ledger.generateSigningKey()
        let stores = HouseholdFixture.stores()
        let failing = FaultInjectingLedger(wrapping: ledger, afterStep: 1, at: .afterJournal) { throw Interrupted() }
        await #expect(throws: Interrupted.self) {
            try await Erasure(catalog: HouseholdFixture.catalog, stores: stores, ledger: failing)
                .execute(try DataSubject(parsing: ["customer_id:4"], catalog: HouseholdFixture.catalog))
        }
        // Meanwhile a new order of customer 4 arrives, and the catalog's identifier type is renamed.
        let crm = stores["crm"] as! InMemoryStore
        crm.insert(into: "orders", rows: [[.integer(52), .integer(4), .null]])
        let before = crm.rows(of: "orders").count + crm.rows(of: "customers").count

        let resumed = try await Erasure(catalog: renamedCatalog, stores: stores, ledger: ledger).resume()
        #expect(resumed.count == 1)
        let outcome = try? resumed.first?.get()
        #expect(outcome?.isComplete != true, "certified complete while order 52 of the subject is still there")
        guard case .failure(let error)? = resumed.first else { return }
        #expect(error.code == .unknownIdentifierType)
        #expect(error.message.contains("'customer_id'"), "\(error.message)")
        #expect(try await ledger.unfinishedRuns().count == 1, "the run stays unfinished, to resume once the type is declared again")
        #expect(crm.rows(of: "orders").count + crm.rows(of: "customers").count == before, "nothing was touched")
    }
}
