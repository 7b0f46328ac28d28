import CallCenterExample
import DSARKit
import DSARKitTesting
import Foundation
import GRDB
import Testing

/// The call-centre example with calls deleted (not masked) when erased, so a sweep deletes them.
private func deletingCalls(_ text: String) -> String {
    text.replacingOccurrences(of: "    erase:\n      mask: { caller_number: hash, agent_notes: \"null\" }\n", with: "    erase: delete\n")
}

@Suite("Retention sweep")
struct RetentionSweepTests {
    @Test("A sweep deletes exactly the calls and recordings past 6 months, keeps the held ones, and touches nothing else")
    func sweepDeletesExactly() async throws {
        let fixture = try RetentionFixture(edit: deletingCalls)
        let expired = try fixture.expiredCalls()
        let (held, free) = try fixture.recordings(of: expired)
        try #require(!held.isEmpty && !free.isEmpty && !expired.isEmpty)
        // A call whose recording is held stays with it; every other call past its rule goes.
        let keptCalls = try fixture.callsOf(recordings: held)
        let deletedCalls = expired.subtracting(keptCalls)
        let rowsBefore = try fixture.scope.snapshot()
        let filesBefore = try fixture.files()
        let goneFiles = try fixture.recordingPaths(free)
        let personal = try fixture.personalValues()

        let outcome = try await fixture.sweep().execute()

        #expect(outcome.isComplete, "\(outcome.residue)")
        let rowsAfter = try fixture.scope.snapshot()
        let changed = Set(rowsBefore.keys).union(rowsAfter.keys).filter { rowsBefore[$0] != rowsAfter[$0] }
        #expect(changed == Set(deletedCalls.map { "calls:\($0)" } + free.map { "recordings:\($0)" }))
        #expect(changed.allSatisfy { rowsAfter[$0] == nil }, "changed rows are deleted rows; every other row is byte-identical")
        let filesAfter = try fixture.files()
        #expect(Set(filesAfter.keys) == Set(filesBefore.keys).subtracting(goneFiles))
        #expect(filesAfter.allSatisfy { filesBefore[$0.key] == $0.value }, "the files that stay are unchanged")
        #expect(try fixture.recordingPaths(held).allSatisfy { filesAfter[$0] != nil }, "held recordings keep their files")

        let plan = outcome.plan
        #expect(Set(plan.collection("recordings")?.held.map(\.key) ?? []) == Set(held.map { "id=\($0)" }))
        #expect(plan.collection("recordings")?.held.allSatisfy { $0.reason.contains("MiFID") } == true)
        #expect(Set(plan.collection("calls")?.kept.map(\.key) ?? []) == Set(keptCalls.map { "id=\($0)" }))
        let certificate = outcome.certificate
        try certificate.verifySignature(trusting: try fixture.ledger.keys.publicKey())
        #expect(certificate.scope == "retention")
        #expect(certificate.verification == "complete")
        #expect(certificate.retention?.parts.map(\.collection) == ["calls"])
        #expect(certificate.retention?.parts.first?.cutoff == RetentionFixture.cutoff)
        #expect(certificate.retention?.parts.first?.pastRule == expired.count)
        #expect(certificate.collections.first { $0.collection == "calls" }?.deleted == deletedCalls.count)
        #expect(certificate.collections.first { $0.collection == "recordings" }?.deleted == free.count)
        #expect(certificate.collections.first { $0.collection == "recordings" }?.held == held.count)
        let json = String(decoding: try certificate.json(), as: UTF8.self)
        let read = try ErasureCertificate.read(from: try certificate.json())
        try read.verifySignature()
        for value in personal { #expect(!json.contains(value), "the certificate holds no email or phone number") }
    }

    @Test("With the example's own rule, calls past 6 months are masked, their recordings deleted, and a second sweep plans nothing")
    func exampleMasksAndIsIdempotent() async throws {
        let fixture = try RetentionFixture()
        let expired = try fixture.expiredCalls()
        let (held, free) = try fixture.recordings(of: expired)
        let before = try fixture.scope.snapshot()
        // A call with no caller number and no notes has nothing to mask.
        let maskable = try await fixture.queue.read { db in
            Set(try Int64.fetchAll(db, sql: "SELECT id FROM calls WHERE id IN (\(expired.map(String.init).joined(separator: ","))) "
                                   + "AND (caller_number IS NOT NULL OR agent_notes IS NOT NULL)"))
        }

        let first = try await fixture.sweep().execute()

        #expect(first.isComplete, "\(first.residue)")
        #expect(Set(first.plan.collection("calls")?.masked ?? []) == Set(maskable.map { "id=\($0)" }))
        let masked = try await fixture.queue.read { db in
            try Row.fetchAll(db, sql: "SELECT id, agent_notes, caller_number FROM calls")
        }
        for row in masked where expired.contains(row["id"]) {
            #expect((row["agent_notes"] as String?) == nil)
            #expect(before["calls:\(row["id"] as Int64)"] != nil)
        }
        let after = try fixture.scope.snapshot()
        #expect(free.allSatisfy { after["recordings:\($0)"] == nil })
        #expect(held.allSatisfy { after["recordings:\($0)"] == before["recordings:\($0)"] })
        let changed = Set(before.keys).union(after.keys).filter { before[$0] != after[$0] }
        #expect(changed.isSubset(of: Set(expired.map { "calls:\($0)" } + free.map { "recordings:\($0)" })))

        let second = try await fixture.sweep().plan()
        #expect(second.steps.isEmpty, "a second sweep plans nothing")
        #expect(second.collection("calls")?.masked.isEmpty != false)
        #expect(second.collection("recordings")?.deleted.isEmpty != false)
        #expect(Set(second.collection("recordings")?.held.map(\.key) ?? []) == Set(held.map { "id=\($0)" }), "held rows are still reported held")
        let again = try await fixture.sweep().execute()
        #expect(again.isComplete)
        #expect(try fixture.scope.snapshot() == after)
    }

    @Test("A hold on a customer reaches the calls past their rule under it: they stay, reported held")
    func parentHoldReachesSweptCalls() async throws {
        let fixture = try RetentionFixture { text in
            deletingCalls(text).replacingOccurrences(of: "    erase: delete\n  consents:\n",
                                                     with: "    hold: { when: { id: \"2\" }, reason: Billing dispute }\n    erase: delete\n  consents:\n")
        }
        let expired = try fixture.expiredCalls()
        let youssef = try await fixture.queue.read { db in Set(try Int64.fetchAll(db, sql: "SELECT id FROM calls WHERE customer_id = 2")) }
        let heldCalls = expired.intersection(youssef)
        try #require(!heldCalls.isEmpty)
        let before = try fixture.scope.snapshot()

        let outcome = try await fixture.sweep().execute()

        #expect(outcome.isComplete, "\(outcome.residue)")
        let after = try fixture.scope.snapshot()
        for call in heldCalls { #expect(after["calls:\(call)"] == before["calls:\(call)"], "call \(call) of the held customer stays") }
        let reported = outcome.plan.collection("calls")?.held ?? []
        #expect(Set(reported.map(\.key)).isSuperset(of: heldCalls.map { "id=\($0)" }))
        #expect(reported.filter { $0.reason == "Billing dispute" }.allSatisfy { $0.under == "customers[id=2]" })
        #expect(after["customers:2"] == before["customers:2"], "the customer is never touched by a sweep")
    }

    @Test("A sweep interrupted at a step and resumed ends as an uninterrupted one", arguments: [
        (1, FaultInjectingLedger.Moment.beforeJournal), (2, .afterJournal), (4, .beforeJournal),
    ])
    func interruptedAndResumed(step: Int, moment: FaultInjectingLedger.Moment) async throws {
        struct Interrupted: Error {}
        let fixture = try RetentionFixture("interrupted\(step)\(moment)", edit: deletingCalls)
        let reference = try RetentionFixture("reference\(step)\(moment)", edit: deletingCalls)
        let failing = FaultInjectingLedger(wrapping: fixture.ledger, afterStep: step, at: moment) { throw Interrupted() }
        try #require(try await fixture.sweep().plan().steps.count > step)

        await #expect(throws: Interrupted.self) { try await fixture.sweep(ledger: failing).execute() }
        #expect(try await fixture.ledger.unfinishedRuns().count == 1)
        let refused = await #expect(throws: DSARError.self) { try await fixture.sweep().execute() }
        #expect(refused?.code == .interruptedRuns, "a new sweep waits for the interrupted one")

        let resumed = try await Erasure(catalog: fixture.catalog, stores: try StoreSet.open(for: fixture.catalog, readOnly: false),
                                        ledger: fixture.ledger, now: { RetentionFixture.now }).resume()
        #expect(resumed.count == 1)
        let outcome = try #require(try resumed.first?.get())
        #expect(outcome.isComplete, "\(outcome.residue)")
        #expect(outcome.certificate.scope == "retention")
        try outcome.certificate.verifySignature()

        let uninterrupted = try await reference.sweep().execute()
        #expect(uninterrupted.isComplete)
        #expect(try fixture.scope.snapshot() == reference.scope.snapshot())
        #expect(try fixture.files() == reference.files())
        #expect(outcome.certificate.collections == uninterrupted.certificate.collections)
        #expect(try await fixture.sweep().plan().steps.isEmpty)
    }

    @Test("The journal of a sweep names records by collection and key, never by their contents")
    func journalHoldsNoPersonalData() async throws {
        let fixture = try RetentionFixture(edit: deletingCalls)
        let personal = try fixture.personalValues()
        let failing = FaultInjectingLedger(wrapping: fixture.ledger, afterStep: 1, at: .afterJournal) { throw CancellationError() }
        await #expect(throws: CancellationError.self) { try await fixture.sweep(ledger: failing).execute() }
        let run = try #require(try await fixture.ledger.unfinishedRuns().first)
        let journal = String(decoding: try JSONEncoder().encode(run.plan), as: UTF8.self)
        #expect(run.plan.identifiers.isEmpty && run.plan.requested.isEmpty)
        for value in personal { #expect(!journal.contains(value)) }
    }

    @Test("--only names a collection without a keep rule, or none at all: refused, nothing read or touched")
    func onlyIsChecked() async throws {
        let fixture = try RetentionFixture()
        let before = try fixture.scope.snapshot()
        let unknown = await #expect(throws: DSARError.self) { try await fixture.sweep().execute(only: ["nope"]) }
        #expect(unknown?.code == .invalidRequest)
        #expect(unknown?.location == "--only")
        let unruled = await #expect(throws: DSARError.self) { try await fixture.sweep().execute(only: ["recordings"]) }
        #expect(unruled?.message.contains("no keep rule") == true)
        #expect(try fixture.scope.snapshot() == before)
        #expect(try await fixture.ledger.unfinishedRuns().isEmpty)
    }
}
