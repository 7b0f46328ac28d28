import Foundation

extension Erasure {
    /// Erases every subject of `batch` one after the other. A failing subject is reported
    /// and the others go on. `report` is called after each subject (to write the outcome
    /// file and move a progress bar). Holds the ledger's erasure lock for the whole batch;
    /// refused while the ledger holds an interrupted run (a subject failing in the batch does
    /// not stop the others).
    ///
    /// Not journaled as a job: an interrupted batch is not finished by a resume. `dsar` uses
    /// ``execute(_:journal:fileDigest:filePath:outcomesPath:onlyBasis:report:)``.
    public func execute(_ batch: ErasureBatch, onlyBasis: LawfulBasis? = nil,
                        report: (BatchOutcome) throws -> Void) async throws {
        try await exclusively(refusingInterrupted: true) {
            try await executeLocked(batch, onlyBasis: onlyBasis, report: report)
        }
    }

    private func executeLocked(_ batch: ErasureBatch, onlyBasis: LawfulBasis?,
                               report: (BatchOutcome) throws -> Void) async throws {
        let signer = try ledger.signingKey()  // read once for the batch, and refused before anything is erased
        let planner = try planner()
        for entry in batch.entries {
            let requestID = UUID().uuidString.lowercased()
            var outcome = BatchOutcome(line: entry.line, requestID: requestID, status: "failed", deleted: 0, masked: 0, held: 0,
                                       filesDeleted: 0)
            do {
                let plan = try await planner.plan(for: entry.subject, onlyBasis: onlyBasis, requestID: requestID)
                let result = try await execute(planned: plan, signer: signer)
                let counts = result.certificate.collections
                outcome.status = result.isComplete ? "completed" : "incomplete"
                outcome.deleted = counts.map(\.deleted).reduce(0, +)
                outcome.masked = counts.map(\.masked).reduce(0, +)
                outcome.held = counts.map(\.held).reduce(0, +)
                outcome.filesDeleted = result.certificate.filesDeleted
            } catch {
                outcome.error = (error as? DSARError)?.description ?? "unexpected failure"
            }
            try report(outcome)
        }
    }
}
