import Crypto
import Foundation

extension Erasure {
    /// How many subjects a batch erases together unless told otherwise.
    public static let defaultGroupSize = 200

    /// Erases the subjects of `plans` (made just now, none journaled yet) together: their plans
    /// journaled in one ledger write, each collection's step run for the whole group in one
    /// store transaction (one delete statement per collection for all their keys, children
    /// first, files before the rows pointing at them, as each plan orders them), each step
    /// marked done for the group in one write, then every subject verified and certified on
    /// its own, and the group's runs closed in one write. One result per plan, in order.
    ///
    /// A subject whose step fails is isolated: the group's transaction rolls back and is
    /// retried without it (halves, until the failing subject is alone); its run stays
    /// unfinished and resumable (`dsar erase --resume`), and no other subject is affected. The
    /// caller holds the erasure lock; on a ledger shared by workers one run lock is taken here
    /// for the whole group (`runLock` of several runs) and, when another
    /// process holds one of its subjects, the group runs one subject at a time, that one
    /// refused alone. Plans must not share a
    /// record (``ErasurePlan/touchedRecords``): the batch runners never group such subjects.
    func run(group plans: [ErasurePlan], signer: Curve25519.Signing.PrivateKey) async throws -> [Result<ErasureOutcome, DSARError>] {
        var group = ErasureGroup(plans: plans, order: catalog.erasureOrder ?? catalog.collections.map(\.name))
        let lock: LedgerLock?
        do {
            // On a ledger shared by workers: every run and subject of the group under one lock.
            var seen = Set<SubjectIdentifier>()
            let own = plans.flatMap { $0.ownIdentifiers(in: catalog) }.filter { seen.insert($0).inserted }
            lock = try await ledger.runLock(plans.map(\.runID), subject: own)
        } catch let error as DSARError where error.code == .erasureInProgress {
            // Another process erases one of them: each on its own, that one refused alone.
            var results: [Result<ErasureOutcome, DSARError>] = []
            for plan in plans {
                do { results.append(.success(try await execute(planned: plan, signer: signer))) } catch {
                    results.append(.failure(error as? DSARError ?? DSARError(.storeFailure, "unexpected failure", cause: error)))
                }
            }
            return results
        }
        do {
            if lock != nil { await refuseInterrupted(&group) }
            let results = try await runLocked(&group, signer: signer)
            await lock?.release()
            return results
        } catch {
            await lock?.release()
            throw error
        }
    }

    private func runLocked(_ group: inout ErasureGroup, signer: Curve25519.Signing.PrivateKey) async throws -> [Result<ErasureOutcome, DSARError>] {
        let started = group.active.map { group.plans[$0] }
        guard !started.isEmpty else { return group.results(outcomes: [:]) }
        try await ledger.begin(started, at: now())
        for phase in group.phases {
            let steps = group.steps(in: phase)
            guard !steps.isEmpty else { continue }
            let done = phase.isFiles ? try await removeFiles(steps, group: &group) : await changeRows(steps, group: &group)
            try await ledger.markDone(done.map { (run: group.plans[$0.subject].runID, step: $0.step) }, at: now())
            await reportFailures(in: &group)
        }
        return group.results(outcomes: try await certify(&group, signer: signer))
    }

    /// On a ledger shared by workers: fails each subject an interrupted run of which is unfinished
    /// (it must be resumed first), as one subject at a time is refused.
    private func refuseInterrupted(_ group: inout ErasureGroup) async {
        do {
            let unfinished = try await ledger.unfinishedRuns()
            for index in group.active {
                let subject = Set(group.plans[index].ownIdentifiers(in: catalog))
                for run in unfinished where run.plan.ownIdentifiers(in: catalog).contains(where: subject.contains) {
                    group.fail(index, DSARError(.interruptedRuns, "an erasure of this subject (run \(run.plan.requestID.prefix(40))) was " +
                                                "interrupted and is not finished; resume it first (`dsar worker --retry-failed`) or abandon it"))
                    break
                }
            }
        } catch {
            for index in group.active { group.fail(index, error as? DSARError ?? DSARError(.ledgerFailure, "the journal could not be read", cause: error)) }
        }
        group.dropFailed()
    }

    /// Removes the files of one phase, each recorded as started first (in one write).
    private func removeFiles(_ steps: [ErasureGroup.Step], group: inout ErasureGroup) async throws -> [ErasureGroup.Step] {
        try await ledger.markStarted(steps.map { (run: group.plans[$0.subject].runID, step: $0.step.index) })
        var done: [ErasureGroup.Step] = []
        for step in steps where !group.failed(step.subject) {
            do {
                guard let store = stores[step.step.store] as? any ErasableFileStore, case .removeFile(let path, _) = step.step.action else {
                    throw DSARError(.unsupported, "store '\(step.step.store)' cannot remove files", location: step.step.store)
                }
                try await store.removeFile(at: path)
                done.append(step)
            } catch {
                group.fail(step.subject, Self.failure(error, step.step), step: step.step)
            }
        }
        return done.filter { !group.failed($0.subject) }
    }

    /// Applies one collection's row changes for the group in one transaction; when it fails,
    /// retries each half on its own until every failing subject is alone.
    private func changeRows(_ steps: [ErasureGroup.Step], group: inout ErasureGroup) async -> [ErasureGroup.Step] {
        let first = steps[0].step
        guard let collection = catalog.collection(named: first.collection), let store = stores[first.store] as? any ErasableStore else {
            let error = DSARError(.unsupported, "store '\(first.store)' cannot change rows", location: "\(first.store)/\(first.collection)")
            for step in steps { group.fail(step.subject, error, step: step.step) }
            return []
        }
        do {
            guard Set(steps.map(\.changes?.keyColumns)).count == 1 else {
                throw DSARError(.unsupported, "the group's steps name rows by different keys", location: "\(first.store)/\(first.collection)")
            }
            try await store.apply(ErasureGroup.merged(steps.map(\.step)), to: collection)
            return steps
        } catch {
            guard steps.count > 1 else {
                group.fail(steps[0].subject, Self.failure(error, first), step: first)
                return []
            }
            logger.notice("a grouped step failed; retrying it in halves to isolate the failing subject",
                          metadata: ["step": "\(first.store)/\(first.collection)", "subjects": "\(steps.count)"])
            let half = steps.count / 2
            let left = await changeRows(Array(steps[..<half]), group: &group)
            return left + (await changeRows(Array(steps[half...]), group: &group))
        }
    }

    /// Marks the failed steps of a phase in the journal (their runs stay unfinished).
    private func reportFailures(in group: inout ErasureGroup) async {
        for (index, failure) in group.newFailures() {
            if let step = failure.step {
                try? await ledger.markFailed(group.plans[index].runID, step: step, error: failure.error, at: now())
            }
            logger.error("erasure step failed; the run can be resumed",
                         metadata: ["request": "\(group.plans[index].requestID)", "code": "\(failure.error.code)"])
        }
        group.dropFailed()
    }

    /// Verifies and certifies every subject still going; closes their runs in one write.
    private func certify(_ group: inout ErasureGroup, signer: Curve25519.Signing.PrivateKey) async throws -> [Int: ErasureOutcome] {
        let verifier = ErasureVerifier(catalog: catalog, stores: stores, logger: logger)
        let maskingKey = try ledger.maskingKey()
        let head = try await ledger.auditHead()
        var outcomes: [Int: ErasureOutcome] = [:]
        var closings: [(run: RunID, status: RunStatus, certificate: String, detail: String)] = []
        for index in group.active {
            let plan = group.plans[index]
            do {
                let residue = try await verifier.residue(of: plan)
                var certificate = ErasureCertificate(plan: plan, catalog: catalog, complete: residue.isEmpty, maskingKey: maskingKey,
                                                     auditHead: head, at: now())
                try certificate.sign(with: signer)
                closings.append((plan.runID, residue.isEmpty ? .completed : .incomplete, String(decoding: try certificate.json(), as: UTF8.self),
                                 residue.isEmpty ? "verified: nothing left but held, retained and masked rows"
                                     : "verified: \(residue.count) items still found"))
                outcomes[index] = ErasureOutcome(plan: plan, certificate: certificate, residue: residue, replanned: false)
            } catch {
                group.fail(index, error as? DSARError ?? DSARError(.storeFailure, "verification failed", cause: error))
            }
        }
        try await ledger.finish(closings, at: now())
        return outcomes
    }

    static func failure(_ error: any Error, _ step: ErasureStep) -> DSARError {
        error as? DSARError ?? DSARError(.storeFailure, "a step failed", location: step.store, cause: error)
    }
}
