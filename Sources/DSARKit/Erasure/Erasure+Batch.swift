import Foundation

extension Erasure {
    /// Erases every subject of `batch`, in groups of `groupSize` (1: one after the other; see
    /// ``execute(_:journal:fileDigest:filePath:outcomesPath:onlyBasis:groupSize:report:)`` for
    /// what a group is). A failing subject is reported and the others go on. `report` is called
    /// once per subject, in batch order (to write the outcome file and move a progress bar).
    /// Holds the ledger's erasure lock for the whole batch; refused while the ledger holds an
    /// interrupted run (a subject failing in the batch does not stop the others). On a ledger
    /// shared by workers (PostgreSQL), each subject's run lock is taken instead.
    ///
    /// Not journaled as a job: an interrupted batch is not finished by a resume (its
    /// interrupted runs are). `dsar` uses
    /// ``execute(_:journal:fileDigest:filePath:outcomesPath:onlyBasis:groupSize:report:)``.
    public func execute(_ batch: ErasureBatch, onlyBasis: LawfulBasis? = nil, groupSize: Int = Erasure.defaultGroupSize,
                        report: (BatchOutcome) throws -> Void) async throws {
        try await exclusively(refusingInterrupted: true) {
            try await executeLocked(batch, onlyBasis: onlyBasis, groupSize: max(groupSize, 1), report: report)
        }
    }

    private func executeLocked(_ batch: ErasureBatch, onlyBasis: LawfulBasis?, groupSize: Int,
                               report: (BatchOutcome) throws -> Void) async throws {
        let signer = try ledger.signingKey()  // read once for the batch, and refused before anything is erased
        let planner = try planner()
        var queue = batch.entries[...]
        while !queue.isEmpty {
            var members: [(entry: ErasureBatch.Entry, outcome: BatchOutcome?, plan: ErasurePlan?)] = []
            var touched = Set<String>()
            while members.filter({ $0.plan != nil }).count < groupSize, let entry = queue.first {
                let requestID = UUID().uuidString.lowercased()
                let plan: ErasurePlan
                do {
                    plan = try await planner.plan(for: entry.subject, onlyBasis: onlyBasis, requestID: requestID)
                } catch {
                    queue.removeFirst()
                    members.append((entry, Self.failedOutcome(entry.line, requestID, error), nil))
                    continue
                }
                // A subject sharing anything with the group opens the next one (see ErasurePlan.touchedRecords).
                let records = plan.touchedRecords
                guard touched.isDisjoint(with: records) else { break }
                queue.removeFirst()
                touched.formUnion(records)
                members.append((entry, nil, plan))
            }
            let plans = members.compactMap(\.plan)
            var results: [String: Result<ErasureOutcome, DSARError>] = [:]
            if plans.count == 1, let plan = plans.first {
                do { results[plan.requestID] = .success(try await execute(planned: plan, signer: signer)) } catch {
                    results[plan.requestID] = .failure(error as? DSARError ?? DSARError(.storeFailure, "unexpected failure", cause: error))
                }
            } else if !plans.isEmpty {
                for (plan, result) in zip(plans, try await run(group: plans, signer: signer)) { results[plan.requestID] = result }
            }
            for member in members {
                guard let plan = member.plan else {
                    try member.outcome.map(report)
                    continue
                }
                switch results[plan.requestID] {
                case .success(let outcome)?: try report(BatchOutcome(result: outcome, line: member.entry.line))
                case .failure(let error)?: try report(Self.failedOutcome(member.entry.line, plan.requestID, error))
                case nil: try report(Self.failedOutcome(member.entry.line, plan.requestID, nil))
                }
            }
        }
    }

    static func failedOutcome(_ line: Int, _ requestID: String, _ error: (any Error)?) -> BatchOutcome {
        BatchOutcome(line: line, requestID: requestID, status: "failed", deleted: 0, masked: 0, held: 0, filesDeleted: 0,
                     error: (error as? DSARError)?.description ?? "unexpected failure")
    }
}
