import DSARKit
import Foundation

/// A ledger that forwards everything to another and injects a fault once a given number of
/// erasure steps committed, to prove that an erasure interrupted at any step is finished by
/// ``Erasure/resume()``.
///
/// Steps are counted across every run written through this value. The fault fires either
/// right after the `n`th step's store change committed but before the journal marks it done
/// (``Moment/beforeJournal``: resuming then does that step a second time, which must be
/// harmless), or right after the journal marked it done (``Moment/afterJournal``). A crash
/// test's `fault` kills the process (`kill(getpid(), SIGKILL)`, as the test-only
/// `dsar-fault-harness` does); an in-process test can throw, which leaves the run interrupted.
///
/// ```swift
/// let ledger = FaultInjectingLedger(wrapping: try Ledger(for: catalog), afterStep: 3, at: .beforeJournal) {
///     throw CancellationError()
/// }
/// ```
public actor FaultInjectingLedger: ErasureLedger {
    /// When, around the `n`th step's journal mark, the fault fires.
    public enum Moment: Sendable, Hashable {
        /// After the step's store change committed, before the journal knows.
        case beforeJournal
        /// After the journal marked the step done.
        case afterJournal
    }

    public nonisolated let base: any ErasureLedger
    public nonisolated let afterStep: Int
    public nonisolated let moment: Moment
    private let fault: @Sendable () async throws -> Void
    private var committed = 0

    public init(wrapping base: any ErasureLedger, afterStep: Int, at moment: Moment,
                fault: @escaping @Sendable () async throws -> Void) {
        self.base = base
        self.afterStep = afterStep
        self.moment = moment
        self.fault = fault
    }

    public func markDone(_ runID: String, step: ErasureStep, at date: Date) async throws {
        committed += 1
        let firing = committed == afterStep
        if firing, moment == .beforeJournal { try await fault() }
        try await base.markDone(runID, step: step, at: date)
        if firing, moment == .afterJournal { try await fault() }
    }

    public nonisolated var keys: LedgerKeys { base.keys }

    public func begin(_ plan: ErasurePlan, at date: Date) async throws { try await base.begin(plan, at: date) }

    public func replan(_ plan: ErasurePlan, keeping done: Set<Int>, reason: String, at date: Date) async throws {
        try await base.replan(plan, keeping: done, reason: reason, at: date)
    }

    public func markStarted(_ runID: String, step: Int) async throws { try await base.markStarted(runID, step: step) }

    public func markFailed(_ runID: String, step: ErasureStep, error: DSARError, at date: Date) async throws {
        try await base.markFailed(runID, step: step, error: error, at: date)
    }

    public func finish(_ runID: String, status: String, certificate: String, detail: String, at date: Date) async throws {
        try await base.finish(runID, status: status, certificate: certificate, detail: detail, at: date)
    }

    public func abandon(_ runID: String, at date: Date) async throws { try await base.abandon(runID, at: date) }
    public func unfinishedRuns() async throws -> [JournalRun] { try await base.unfinishedRuns() }
    public func unfinishedRun(_ runID: String) async throws -> JournalRun? { try await base.unfinishedRun(runID) }
    public func runStatus(_ runID: String) async throws -> String? { try await base.runStatus(runID) }
    public func certificate(of runID: String) async throws -> String? { try await base.certificate(of: runID) }
    public func auditEntries() async throws -> [AuditEntry] { try await base.auditEntries() }
    public func auditHead() async throws -> String { try await base.auditHead() }

    public func audit(runID: String?, event: String, detail: String, at date: Date) async throws {
        try await base.audit(runID: runID, event: event, detail: detail, at: date)
    }

    public func checkAudit() async throws -> AuditVerification { try await base.checkAudit() }
    public func erasureLock() async throws -> LedgerLock? { try await base.erasureLock() }
}
