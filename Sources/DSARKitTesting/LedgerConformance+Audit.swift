import DSARKit
import Foundation

extension LedgerConformance {
    var auditChecks: [Check] {
        [
            Check(name: "the audit log chains every entry and checks intact") { ledger, log in
                let name = "the audit log chains every entry and checks intact"
                log.expect(try await ledger.auditHead() == AuditEntry.genesisHash, name, "an empty log's head is not the genesis hash")
                try await ledger.audit("test.entry", runID: nil, detail: "entry 1", at: Self.date(1))
                let plan = try Self.plan("run-audit", steps: 1)
                try await ledger.begin(plan, at: Self.date(2))
                try await ledger.audit("test.entry", runID: "run-audit", detail: "entry 3", at: Self.date(3))
                let entries = try await ledger.auditEntries()
                log.expect(entries.map(\.sequence) == [1, 2, 3], name, "sequences: \(entries.map(\.sequence))")
                log.expect(entries.first?.previousHash == AuditEntry.genesisHash
                           && zip(entries, entries.dropFirst()).allSatisfy { $0.hash == $1.previousHash }, name, "the entries are not linked")
                log.expect(entries.map(\.runID) == [nil, "run-audit", "run-audit"], name, "run ids: \(entries.map(\.runID))")
                log.expect(try await ledger.auditHead() == entries.last?.hash, name, "the head is not the newest entry's hash")
                let check = try await ledger.checkAudit()
                log.expect(check.isIntact && check.entries == 3, name, "checkAudit: \(check.entries) entries, \(check.problems)")
            },
        ]
    }

    @Sendable static func lockCheck(_ ledger: any ErasureLedger, _ log: inout ConformanceLog) async throws {
        let name = "the erasure lock has one holder at a time"
        var first = try await ledger.erasureLock()
        guard first != nil else { return }
        do {
            let second = try await ledger.erasureLock()
            log.expect(false, name, "a second lock was given while the first is held")
            withExtendedLifetime(second) {}
        } catch let error as DSARError {
            log.expect(error.code == .erasureInProgress, name, "refused with \(error.code), not erasureInProgress")
        }
        withExtendedLifetime(first) {}
        first = nil
        let again = try await ledger.erasureLock()
        log.expect(again != nil, name, "the lock could not be taken again once released")
        withExtendedLifetime((first, again)) {}
    }

    /// A ledger with run locks: one holder per run and per subject identifier; other runs of
    /// other subjects go on.
    @Sendable static func runLockCheck(_ ledger: any ErasureLedger, _ log: inout ConformanceLog) async throws {
        let name = "a run lock has one holder per run and per subject"
        let amel = SubjectIdentifier(type: "email", normalizedValue: "amel.benali@example.tn")
        let other = SubjectIdentifier(type: "email", normalizedValue: "youssef@example.fr")
        guard let first = try await ledger.runLock("run-lock-1", subject: [amel]) else { return }
        for (id, subject) in [(RunID("run-lock-1"), [other]), (RunID("run-lock-2"), [other, amel])] {
            do {
                let second = try await ledger.runLock(id, subject: subject)
                log.expect(false, name, "a second lock was given for \(id.rawValue) while the first is held")
                withExtendedLifetime(second) {}
            } catch let error as DSARError {
                log.expect(error.code == .erasureInProgress, name, "refused with \(error.code), not erasureInProgress")
            }
        }
        let elsewhere = try await ledger.runLock("run-lock-3", subject: [other])
        log.expect(elsewhere != nil, name, "a lock for another run of another subject was not given")
        withExtendedLifetime((first, elsewhere)) {}
    }
}
