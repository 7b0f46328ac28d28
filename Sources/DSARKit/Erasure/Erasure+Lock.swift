import Foundation

extension Erasure {
    /// Runs `body` as the only erasure of this ledger: takes the ledger's erasure lock (refused
    /// with `erasureInProgress` when another erasure holds it) and, with `refusingInterrupted`,
    /// refuses with `interruptedRuns` while the journal holds a run that was interrupted. A
    /// ledger without a lock (shared by workers) is neither locked nor checked. The runs named in
    /// `own` (a request's own interrupted run, which its caller resumes first) are not refused.
    func exclusively<T>(refusingInterrupted: Bool, except own: Set<String> = [], _ body: () async throws -> T) async throws -> T {
        let lock = try await ledger.erasureLock()
        defer { withExtendedLifetime(lock) {} }
        if lock != nil, refusingInterrupted,
           case let count = try await ledger.unfinishedRuns().filter({ !own.contains($0.plan.requestID) }).count, count > 0 {
            throw DSARError(.interruptedRuns, "\(count) erasure(s) were interrupted and are not finished; resume them first " +
                            "(`dsar erase --resume`) or abandon them")
        }
        return try await body()
    }
}

extension Erasure {
    /// Runs `body` as the only erasure, in any process, of run `plan` and of its subject
    /// (``ErasureLedger/runLock(_:subject:)``, on a ledger shared by workers). With
    /// `refusingInterrupted`, refuses with `interruptedRuns` while the journal holds an
    /// interrupted run of the same subject (one that shares an identifier of a type that is
    /// not shared between people): it must be resumed first.
    func exclusively<T>(run plan: ErasurePlan, refusingInterrupted: Bool, _ body: () async throws -> T) async throws -> T {
        let own = plan.ownIdentifiers(in: catalog)
        guard let lock = try await ledger.runLock(plan.runID, subject: own) else { return try await body() }
        do {
            if refusingInterrupted {
                let subject = Set(own)
                for run in try await ledger.unfinishedRuns() where run.plan.runID != plan.runID {
                    guard run.plan.ownIdentifiers(in: catalog).contains(where: subject.contains) else { continue }
                    throw DSARError(.interruptedRuns, "an erasure of this subject (run \(run.plan.requestID.prefix(40))) was interrupted " +
                                    "and is not finished; resume it first (`dsar worker --retry-failed`) or abandon it")
                }
            }
            let result = try await body()
            await lock.release()
            return result
        } catch {
            await lock.release()
            throw error
        }
    }
}

extension ErasurePlan {
    /// The identifiers of the subject that no one else can have (types not `shared`), the
    /// requested first: what a run's subject lock holds.
    func ownIdentifiers(in catalog: Catalog) -> [SubjectIdentifier] {
        var seen = Set<SubjectIdentifier>()
        return (requested + identifiers).filter { catalog.identifierType(named: $0.type)?.shared != true && seen.insert($0).inserted }
    }
}
