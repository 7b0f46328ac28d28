import Crypto
import Foundation
import Logging

/// Runs erasures: plans, journals, executes step by step, verifies and certifies.
///
/// ```swift
/// let stores = try StoreSet.open(for: catalog, readOnly: false)
/// let erasure = Erasure(catalog: catalog, stores: stores, ledger: try Ledger(for: catalog))
/// let outcome = try await erasure.execute(subject)
/// ```
///
/// The plan is written to the ``Ledger`` before the first change and each step is marked
/// done once its store change committed, so a run killed at any moment is finished by
/// ``resume()``. Stores must be opened writable and be ``ErasableStore`` /
/// ``ErasableFileStore``.
///
/// Every call that changes data takes the ledger's erasure lock (``ErasureLedger/erasureLock()``)
/// for its whole length, so a second erasure on the same ledger, in this process or another,
/// is refused with ``DSARError/Code/erasureInProgress``; and a new erasure is refused with
/// ``DSARError/Code/interruptedRuns`` while the ledger holds an interrupted one: call
/// ``resume()`` (or abandon it) first. On a ledger shared by workers (no erasure lock), each run
/// holds a run lock instead (``ErasureLedger/runLock(_:subject:)``): a second erasure of the same
/// run or subject is refused with `erasureInProgress`, and a new erasure of a subject whose run
/// was interrupted with `interruptedRuns`.
public struct Erasure: Sendable {
    public let catalog: Catalog
    public let stores: StoreSet
    public let ledger: any ErasureLedger
    public var now: @Sendable () -> Date
    public var logger: Logger
    /// Called after each step the journal marked done: steps done, of how many (a progress bar).
    public var onStep: (@Sendable (_ done: Int, _ total: Int) -> Void)? = nil

    public init(catalog: Catalog, stores: StoreSet, ledger: any ErasureLedger, now: @escaping @Sendable () -> Date = { Date() },
                logger: Logger = Logger(label: "dsar.erasure")) {
        self.catalog = catalog
        self.stores = stores
        self.ledger = ledger
        self.now = now
        self.logger = logger
    }

    func planner() throws -> ErasurePlanner {
        ErasurePlanner(catalog: catalog, stores: stores, maskingKey: try ledger.maskingKey(), now: now, logger: logger)
    }

    /// The plan for `subject`, without changing anything (a dry run).
    public func plan(for subject: DataSubject, onlyBasis: LawfulBasis? = nil, scope: RequestScope? = nil) async throws -> ErasurePlan {
        try await planner().plan(for: subject, onlyBasis: onlyBasis, scope: scope)
    }

    /// Plans, journals, executes, verifies and certifies the erasure of `subject`, holding the
    /// ledger's erasure lock; refused while the ledger holds an interrupted run.
    /// With a `scope`, only the records it selects (and those under them) are erased, and
    /// verification checks those are gone ("complete for the scope").
    public func execute(_ subject: DataSubject, onlyBasis: LawfulBasis? = nil, scope: RequestScope? = nil,
                        requestID: String = UUID().uuidString.lowercased()) async throws -> ErasureOutcome {
        try await exclusively(refusingInterrupted: true) {
            let signer = try ledger.signingKey()
            let plan = try await planner().plan(for: subject, onlyBasis: onlyBasis, scope: scope, requestID: requestID)
            return try await execute(planned: plan, signer: signer)
        }
    }

    /// Journals, executes, verifies and certifies a plan just made (by a caller that looked at
    /// it first, like replay), without discovering and planning a second time. The caller
    /// holds the erasure lock (``exclusively(refusingInterrupted:_:)``).
    func execute(planned plan: ErasurePlan, signer: Curve25519.Signing.PrivateKey? = nil) async throws -> ErasureOutcome {
        let signer = try signer ?? ledger.signingKey()
        return try await exclusively(run: plan, refusingInterrupted: true) {
            try await ledger.begin(plan, at: now())
            return try await run(plan, done: [], replanned: false, signer: signer)
        }
    }

    /// Finishes every run the journal holds as unfinished, oldest first. A run that fails
    /// again (a step still blocked) stays unfinished and does not stop the others. Holds the
    /// ledger's erasure lock.
    public func resume() async throws -> [Result<ErasureOutcome, DSARError>] {
        try await exclusively(refusingInterrupted: false) {
            try await resumeRuns(signer: try ledger.signingKey())
        }
    }

    /// Finishes one unfinished run of the journal (a worker resuming a subject another
    /// worker left half done). Holds the ledger's erasure lock.
    public func resume(_ journal: JournalRun) async throws -> ErasureOutcome {
        try await exclusively(refusingInterrupted: false) {
            try await resume(journal, signer: try ledger.signingKey())
        }
    }

    func resume(_ journal: JournalRun, signer: Curve25519.Signing.PrivateKey) async throws -> ErasureOutcome {
        try await exclusively(run: journal.plan, refusingInterrupted: false) {
            // Read again under the run's lock: another process may have finished it meanwhile.
            guard let journal = try await ledger.unfinishedRun(journal.plan.runID) else {
                throw DSARError(.erasureInProgress, "run \(journal.plan.requestID.prefix(40)) was finished by another erasure meanwhile")
            }
            try await ledger.audit(.runResumed, runID: journal.plan.runID,
                                   detail: "\(journal.done.count) of \(journal.plan.steps.count) steps were done", at: now())
            let (plan, replanned) = try await checked(journal)
            return try await run(plan, done: journal.done, replanned: replanned, signer: signer)
        }
    }

    func run(_ plan: ErasurePlan, done: Set<Int>, replanned: Bool,
             signer: Curve25519.Signing.PrivateKey) async throws -> ErasureOutcome {
        for step in plan.steps where !done.contains(step.index) {
            do {
                try await perform(step, of: plan.requestID)
            } catch {
                let failure = error as? DSARError ?? DSARError(.storeFailure, "a step failed", location: step.store, cause: error)
                try? await ledger.markFailed(plan.runID, step: step, error: failure, at: now())
                logger.error("erasure step failed; the run can be resumed",
                             metadata: ["request": "\(plan.requestID)", "step": "\(step.index + 1)", "code": "\(failure.code)"])
                throw failure
            }
            try await ledger.markDone(plan.runID, step: step, at: now())
            onStep?(step.index + 1, plan.steps.count)
        }
        let residue = try await ErasureVerifier(catalog: catalog, stores: stores, logger: logger).residue(of: plan)
        var certificate = ErasureCertificate(plan: plan, catalog: catalog, complete: residue.isEmpty,
                                             maskingKey: try ledger.maskingKey(), auditHead: try await ledger.auditHead(), at: now())
        try certificate.sign(with: signer)
        let status: RunStatus = residue.isEmpty ? .completed : .incomplete
        try await ledger.finish(plan.runID, status: status, certificate: String(decoding: try certificate.json(), as: UTF8.self),
                          detail: residue.isEmpty ? (plan.scope == nil ? "verified: nothing left but held, retained and masked rows"
                                                       : "verified: complete for the scope")
                              : "verified: \(residue.count) items still found", at: now())
        return ErasureOutcome(plan: plan, certificate: certificate, residue: residue, replanned: replanned)
    }

    private func perform(_ step: ErasureStep, of runID: String) async throws {
        switch step.action {
        case .removeFile(let path, _):
            guard let store = stores[step.store] as? any ErasableFileStore else {
                throw DSARError(.unsupported, "store '\(step.store)' cannot remove files", location: step.store)
            }
            try await ledger.markStarted(RunID(runID), step: step.index)
            try await store.removeFile(at: path)
        case .changeRows(let changes):
            guard let collection = catalog.collection(named: step.collection),
                  let store = stores[step.store] as? any ErasableStore else {
                throw DSARError(.unsupported, "store '\(step.store)' cannot change rows", location: "\(step.store)/\(step.collection)")
            }
            try await store.apply(changes, to: collection)
        }
    }
}
