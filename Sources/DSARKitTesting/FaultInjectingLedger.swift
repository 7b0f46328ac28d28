import DSARKit
import Foundation

/// A ledger that forwards everything to another and injects a fault once a given number of
/// erasure steps committed, to prove that an erasure interrupted at any step is finished by
/// ``Erasure/resume()``.
///
/// Steps are counted across every run written through this value (a grouped batch's mark of
/// one step for every subject of its group counts as one). The fault fires either
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

    /// Forwards every change; counts the changes that mark a step done, and fires the fault
    /// around the `n`th.
    public func commit(_ change: JournalChange, _ rules: @Sendable (RunState?) throws -> JournalDecision) async throws {
        guard case .step(_, _, .done) = change else { return try await base.commit(change, rules) }
        committed += 1
        let firing = committed == afterStep
        if firing, moment == .beforeJournal { try await fault() }
        try await base.commit(change, rules)
        if firing, moment == .afterJournal { try await fault() }
    }

    /// Forwards a grouped write; one that marks steps done (a grouped batch marking a step of
    /// every subject of its group) counts as one mark, and the fault fires around it.
    public func commit(_ changes: [JournalChange], _ rules: @Sendable (Int, RunState?) throws -> JournalDecision) async throws {
        guard changes.contains(where: { if case .step(_, _, .done) = $0 { true } else { false } }) else {
            return try await base.commit(changes, rules)
        }
        committed += 1
        let firing = committed == afterStep
        if firing, moment == .beforeJournal { try await fault() }
        try await base.commit(changes, rules)
        if firing, moment == .afterJournal { try await fault() }
    }

    public nonisolated var keys: LedgerKeys { base.keys }
    public func run(_ id: RunID) async throws -> JournalRecord? { try await base.run(id) }
    public func runs(withStatus status: RunStatus) async throws -> [JournalRecord] { try await base.runs(withStatus: status) }
    public func auditEntries() async throws -> [AuditEntry] { try await base.auditEntries() }
    public func auditHead() async throws -> String { try await base.auditHead() }
    public func checkAudit() async throws -> AuditVerification { try await base.checkAudit() }
    public func erasureLock() async throws -> LedgerLock? { try await base.erasureLock() }

    public func runLock(_ id: RunID, subject: [SubjectIdentifier]) async throws -> LedgerLock? {
        try await base.runLock(id, subject: subject)
    }

    public func runLock(_ ids: [RunID], subject: [SubjectIdentifier]) async throws -> LedgerLock? {
        try await base.runLock(ids, subject: subject)
    }
}
