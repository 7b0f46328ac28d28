import DSARKit
import Foundation
import Synchronization

/// An ``ErasureLedger`` kept in memory: the journal and the audit log live as long as the
/// value, the keys are files in `keys`' folder (as every ledger's). For tests of code that
/// erases, and the reference a driver is compared with (``LedgerConformance``).
///
/// ```swift
/// let ledger = InMemoryLedger(keys: LedgerKeys(folder: temporaryFolder))
/// let erasure = Erasure(catalog: catalog, stores: stores, ledger: ledger)
/// ```
public actor InMemoryLedger: ErasureLedger {
    public nonisolated let keys: LedgerKeys
    private var state = State()
    private let locked = Mutex(false)

    private struct Run {
        var record: JournalRecord
        var steps: [Int: StepStatus]
    }

    private struct State {
        var runs: [RunID: Run] = [:]
        /// Run ids in the order they were begun.
        var order: [RunID] = []
        var audit: [AuditEntry] = []
    }

    public init(keys: LedgerKeys) {
        self.keys = keys
    }

    public func commit(_ change: JournalChange, _ rules: @Sendable (RunState?) throws -> JournalDecision) async throws {
        let key = try keys.auditKey()
        guard case .apply(let record) = try rules(runState(for: change)) else { return }
        store(change)
        if let record {
            state.audit.append(record.chained(after: state.audit.last.map { (sequence: $0.sequence, hash: $0.hash) }, key: key))
        }
    }

    /// Every change or none: the state is put back when a rule throws.
    public func commit(_ changes: [JournalChange], _ rules: @Sendable (Int, RunState?) throws -> JournalDecision) async throws {
        let key = try keys.auditKey()
        let before = state
        do {
            for (position, change) in changes.enumerated() {
                guard case .apply(let record) = try rules(position, runState(for: change)) else { continue }
                store(change)
                if let record {
                    state.audit.append(record.chained(after: state.audit.last.map { (sequence: $0.sequence, hash: $0.hash) }, key: key))
                }
            }
        } catch {
            state = before
            throw error
        }
    }

    public func run(_ id: RunID) async throws -> JournalRecord? { state.runs[id].map(Self.record) }

    public func runs(withStatus status: RunStatus) async throws -> [JournalRecord] {
        state.order.compactMap { state.runs[$0] }.filter { $0.record.status == status }.map(Self.record)
    }

    public func auditEntries() async throws -> [AuditEntry] { state.audit }

    public func auditHead() async throws -> String { state.audit.last?.hash ?? AuditEntry.genesisHash }

    /// One erasure at a time per value; the lock is given up when released.
    public nonisolated func erasureLock() async throws -> LedgerLock? {
        let taken = locked.withLock { held in
            if held { return false }
            held = true
            return true
        }
        guard taken else { throw DSARError(.erasureInProgress, "another erasure is running with this ledger; wait for it to finish") }
        return LedgerLock { [self] in self.locked.withLock { $0 = false } }
    }

    /// Replaces the stored audit entry `sequence` (a test's tampering, which ``checkAudit()``
    /// must report).
    public func replaceAuditEntry(_ sequence: Int64, with entry: AuditEntry) {
        guard let index = state.audit.firstIndex(where: { $0.sequence == sequence }) else { return }
        state.audit[index] = entry
    }

    private func runState(for change: JournalChange) -> RunState? {
        guard let id = change.runID, let run = state.runs[id] else { return nil }
        var result = RunState(status: run.record.status, step: change.stepIndex.flatMap { run.steps[$0] })
        if change.needsStepCounts {
            result.doneSteps = run.steps.values.filter { $0 == .done }.count
            result.totalSteps = run.steps.count
        }
        return result
    }

    private func store(_ change: JournalChange) {
        if case .begin(let id, let plan, let steps, _) = change {
            state.runs[id] = Run(record: JournalRecord(id: id, status: .executing, plan: plan, done: [], certificate: nil),
                                 steps: Dictionary(steps.map { ($0, StepStatus.pending) }, uniquingKeysWith: { first, _ in first }))
            state.order.append(id)
            return
        }
        guard let id = change.runID, var run = state.runs[id] else { return }
        switch change {
        case .begin, .note:
            return
        case .replan(_, let plan, let pending):
            run.record.plan = plan
            run.steps = run.steps.filter { $0.value == .done }
            for index in pending { run.steps[index] = .pending }
        case .step(_, let index, let status):
            if run.steps[index] != nil { run.steps[index] = status }
        case .close(_, let status, let certificate, _):
            run.record.status = status
            run.record.certificate = certificate
            run.record.plan = nil
        }
        state.runs[id] = run
    }

    private static func record(_ run: Run) -> JournalRecord {
        var record = run.record
        record.done = Set(run.steps.filter { $0.value == .done }.keys)
        return record
    }
}
