import DSARKit
import DSARKitTesting
import Foundation
import Testing

@Suite("In-memory ledger")
struct InMemoryLedgerTests {
    struct Interrupted: Error {}

    @Test("An erasure interrupted after its first step on the in-memory ledger is resumed, certified and audited intact")
    func erasureResumes() async throws {
        let keys = LedgerKeys(folder: try ExampleData.temporaryFolder())
        _ = try keys.generateSigningKey()
        let ledger = InMemoryLedger(keys: keys)
        let stores = HouseholdFixture.stores()
        let subject = try DataSubject(parsing: ["email:amel.benali@example.tn"], catalog: HouseholdFixture.catalog)
        let failing = FaultInjectingLedger(wrapping: ledger, afterStep: 1, at: .beforeJournal) { throw Interrupted() }
        await #expect(throws: Interrupted.self) {
            try await Erasure(catalog: HouseholdFixture.catalog, stores: stores, ledger: failing).execute(subject)
        }
        let erasure = Erasure(catalog: HouseholdFixture.catalog, stores: stores, ledger: ledger)
        let refused = await #expect(throws: DSARError.self) { try await erasure.execute(subject) }
        #expect(refused?.code == .interruptedRuns)

        let resumed = try await erasure.resume()
        let outcome = try #require(try resumed.first?.get())
        #expect(outcome.isComplete, "\(outcome.residue)")
        try outcome.certificate.verifySignature(trusting: keys.publicKey())
        #expect(try await ledger.runStatus(outcome.plan.runID) == .completed)
        #expect(try await ledger.unfinishedRuns().isEmpty)
        #expect(try await ledger.checkAudit().isIntact)
        let events = try await ledger.auditEntries().map(\.event)
        #expect(events.first == "run.planned" && events.contains("run.resumed") && events.last == "run.completed", "\(events)")
    }
}
