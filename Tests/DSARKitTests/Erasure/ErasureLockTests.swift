import DSARKit
import DSARKitTesting
import Foundation
import Testing

/// The guarantees `dsar` relies on, held by `Erasure` itself so that any Swift service
/// embedding DSARKit gets them: one erasure per ledger at a time, and no new erasure while an
/// interrupted one is unfinished.
@Suite("Erasure guards its ledger")
struct ErasureLockTests {
    struct Interrupted: Error {}

    private func ledger() throws -> Ledger {
        let ledger = try Ledger(url: try ExampleData.temporaryFolder().appendingPathComponent("ledger.sqlite"))
        try ledger.generateSigningKey()
        return ledger
    }

    private func subject(_ text: String) throws -> DataSubject {
        try DataSubject(parsing: [text], catalog: HouseholdFixture.catalog)
    }

    private func customerIDs(_ stores: StoreSet) -> [Value?] {
        (stores["crm"] as! InMemoryStore).rows(of: "customers").map { $0["id"] }
    }

    @Test("Two concurrent erasures on one ledger: the second is refused (erasureInProgress) and touches nothing")
    func concurrentExecute() async throws {
        let ledger = try ledger()
        let stores = HouseholdFixture.stores()
        let (reached, arrived) = AsyncStream<Void>.makeStream()
        let (release, released) = AsyncStream<Void>.makeStream()
        // The first erasure stops after its first step, holding the ledger, until released.
        let paused = FaultInjectingLedger(wrapping: ledger, afterStep: 1, at: .afterJournal) {
            arrived.yield()
            for await _ in release { break }
        }
        let first = Erasure(catalog: HouseholdFixture.catalog, stores: stores, ledger: paused)
        let running = Task { try await first.execute(try subject("email:amel.benali@example.tn")) }
        for await _ in reached { break }

        let second = Erasure(catalog: HouseholdFixture.catalog, stores: stores, ledger: ledger)
        let refused = await #expect(throws: DSARError.self) { try await second.execute(try subject("customer_id:4")) }
        #expect(refused?.code == .erasureInProgress)
        #expect(customerIDs(stores).contains(.integer(4)), "the refused erasure touched nothing")
        let resumeRefused = await #expect(throws: DSARError.self) { try await second.resume() }
        #expect(resumeRefused?.code == .erasureInProgress)

        released.yield()
        released.finish()
        let outcome = try await running.value
        #expect(outcome.isComplete, "\(outcome.residue)")
        let after = try await second.execute(try subject("customer_id:4"))
        #expect(after.isComplete, "once the first finished, the ledger is free")
        #expect(customerIDs(stores) == [.integer(2)])
    }

    @Test("An interrupted run refuses a new erasure (interruptedRuns) until resume() finishes it")
    func interruptedRunFirst() async throws {
        let ledger = try ledger()
        let stores = HouseholdFixture.stores()
        let failing = FaultInjectingLedger(wrapping: ledger, afterStep: 1, at: .beforeJournal) { throw Interrupted() }
        let interrupted = Erasure(catalog: HouseholdFixture.catalog, stores: stores, ledger: failing)
        await #expect(throws: Interrupted.self) { try await interrupted.execute(try subject("email:amel.benali@example.tn")) }
        #expect(try await ledger.unfinishedRuns().count == 1)

        let erasure = Erasure(catalog: HouseholdFixture.catalog, stores: stores, ledger: ledger)
        let refused = await #expect(throws: DSARError.self) { try await erasure.execute(try subject("customer_id:4")) }
        #expect(refused?.code == .interruptedRuns)
        let batch = try ErasureBatch(text: "customer_id:4\n", catalog: HouseholdFixture.catalog)
        let batchRefused = await #expect(throws: DSARError.self) { try await erasure.execute(batch) { _ in } }
        #expect(batchRefused?.code == .interruptedRuns)
        #expect(customerIDs(stores).contains(.integer(4)), "the refused erasures touched nothing")

        let resumed = try await erasure.resume()
        #expect(resumed.count == 1)
        #expect((try? resumed.first?.get())?.isComplete == true)
        #expect(try await ledger.unfinishedRuns().isEmpty)
        let outcome = try await erasure.execute(try subject("customer_id:4"))
        #expect(outcome.isComplete, "\(outcome.residue)")
        #expect(customerIDs(stores) == [.integer(2)])
    }

    @Test("A request run is refused before anything is recorded while an interrupted erasure is unfinished")
    func requestRunAfterInterruption() async throws {
        let fixture = try await RequestFixture()
        let stores = HouseholdFixture.stores()
        let failing = FaultInjectingLedger(wrapping: fixture.ledger, afterStep: 1, at: .afterJournal) { throw Interrupted() }
        await #expect(throws: Interrupted.self) {
            try await Erasure(catalog: fixture.catalog, stores: stores, ledger: failing).execute(try fixture.subject("customer_id:4"))
        }
        let request = try await fixture.book.open(.erasure, subject: try fixture.subject("email:amel.benali@example.tn"))
        let audit = try fixture.ledger.auditEntries().count
        let refused = await #expect(throws: DSARError.self) {
            try await fixture.run(stores).erase(request.id, override: .force(reason: "identity checked by voice"))
        }
        #expect(refused?.code == .interruptedRuns)
        #expect(try fixture.ledger.auditEntries().count == audit, "nothing was recorded, not even the forced run")
        #expect(try await fixture.book.request(request.id).status == .open)
        #expect(customerIDs(stores).contains(.integer(1)))

        #expect(try await Erasure(catalog: fixture.catalog, stores: stores, ledger: fixture.ledger).resume().count == 1)
        let outcome = try await fixture.run(stores).erase(request.id, override: .force(reason: "identity checked by voice"))
        #expect(outcome.isComplete, "\(outcome.residue)")
        #expect(try await fixture.book.request(request.id).status == .completed)
    }

    @Test("A backup replay that erases is refused before it records anything while an interrupted erasure is unfinished")
    func replayAfterInterruption() async throws {
        let fixture = try await RequestFixture()
        let stores = HouseholdFixture.stores()
        let failing = FaultInjectingLedger(wrapping: fixture.ledger, afterStep: 1, at: .afterJournal) { throw Interrupted() }
        await #expect(throws: Interrupted.self) {
            try await Erasure(catalog: fixture.catalog, stores: stores, ledger: failing).execute(try fixture.subject("customer_id:4"))
        }
        let audit = try fixture.ledger.auditEntries().count
        let replay = BackupReplay(catalog: fixture.catalog, stores: stores, book: fixture.book)
        let refused = await #expect(throws: DSARError.self) { try await replay.replay(since: Date(timeIntervalSince1970: 0)) }
        #expect(refused?.code == .interruptedRuns)
        #expect(try fixture.ledger.auditEntries().count == audit, "nothing was recorded")
        #expect(try await replay.replay(since: Date(timeIntervalSince1970: 0), dryRun: true).items.isEmpty, "a dry run is not refused")
    }
}
