import Crypto
import Foundation

extension Erasure {
    /// Erases every subject of `batch` one after the other, as a job journaled in `journal`:
    /// recorded as a whole before the first subject, each subject's state as it goes, so that
    /// ``resume(batches:report:)`` finishes it after an interruption. Subjects that an earlier
    /// run of the same batch file (same `fileDigest`) completed are not erased again: their
    /// outcome line is written again from the ledger, marked ``BatchOutcome/alreadyErasedIn``.
    /// A failing subject is reported and the others go on. The outcome file at `outcomesPath`
    /// ends with one line per subject; `report` is called after each subject (a progress bar).
    /// Holds the ledger's erasure lock for the whole batch; refused while the ledger holds an
    /// interrupted run or an interrupted batch of another file.
    public func execute(_ batch: ErasureBatch, journal: BatchJournal, fileDigest: String, filePath: String,
                        outcomesPath: String, onlyBasis: LawfulBasis? = nil,
                        report: (BatchOutcome) throws -> Void) async throws -> BatchJob.Summary {
        try await exclusively(refusingInterrupted: true) {
            let signer = try ledger.signingKey()  // read once for the batch, and refused before anything is erased
            let job = try journal.start(batch, fileDigest: fileDigest, filePath: filePath, outcomesPath: outcomesPath,
                                        onlyBasis: onlyBasis, at: now())
            return try await runJob(job, journal: journal, signer: signer, report: report)
        }
    }

    /// Finishes every interrupted run (as ``resume()``), then the rest of every interrupted
    /// batch: its outcome file is completed to one line per subject. Holds the ledger's erasure lock.
    public func resume(batches journal: BatchJournal,
                       report: (BatchOutcome) throws -> Void) async throws -> (runs: [Result<ErasureOutcome, DSARError>],
                                                                               batches: [BatchJob.Summary]) {
        try await exclusively(refusingInterrupted: false) {
            let signer = try ledger.signingKey()
            let runs = try await resumeRuns(signer: signer)
            var batches: [BatchJob.Summary] = []
            for job in try journal.unfinishedJobs() {
                batches.append(try await runJob(job, journal: journal, signer: signer, report: report))
            }
            return (runs, batches)
        }
    }

    /// Every unfinished run of the journal, finished oldest first (as ``resume()`` does).
    func resumeRuns(signer: Curve25519.Signing.PrivateKey) async throws -> [Result<ErasureOutcome, DSARError>] {
        var outcomes: [Result<ErasureOutcome, DSARError>] = []
        for journal in try await ledger.unfinishedRuns() {
            do {
                outcomes.append(.success(try await resume(journal, signer: signer)))
            } catch {
                outcomes.append(.failure(error as? DSARError ?? DSARError(.storeFailure, "resuming failed", cause: error)))
            }
        }
        return outcomes
    }

    /// Erases the subjects of `job` not yet done and closes it.
    private func runJob(_ job: BatchJob, journal: BatchJournal, signer: Curve25519.Signing.PrivateKey,
                     report: (BatchOutcome) throws -> Void) async throws -> BatchJob.Summary {
        var summary = BatchJob.Summary(jobID: job.id, filePath: job.filePath, outcomesPath: job.outcomesPath, total: job.subjects.count)
        // Outcomes the journal already holds are written first: a line written before an
        // interruption is neither lost nor doubled.
        var recorded: [BatchOutcome] = []
        for subject in job.subjects {
            if let outcome = subject.outcome, let settled = try await settled(subject, outcome: outcome) {
                if settled.status != outcome.status { try journal.markFinished(subject, of: job, outcome: settled) }
                recorded.append(settled)
                summary.count(settled)
            }
        }
        let file = try BatchOutcomeFile(path: job.outcomesPath, recorded: recorded)
        defer { file.close() }
        let planner = try planner()
        for subject in job.subjects where subject.outcome == nil {
            guard let outcome = try await eraseSubject(subject, of: job, journal: journal, planner: planner, signer: signer) else {
                summary.neverStarted += 1
                continue
            }
            try journal.markFinished(subject, of: job, outcome: outcome)
            try file.append(outcome)
            summary.count(outcome)
            try report(outcome)
        }
        try journal.finish(job, neverStarted: summary.neverStarted, at: now())
        return summary
    }

    /// A recorded outcome, brought up to date: a subject that failed in a step and whose run
    /// was since finished by a resume gets that run's outcome.
    private func settled(_ subject: BatchJob.Subject, outcome: BatchOutcome) async throws -> BatchOutcome? {
        guard outcome.status == "failed", let runID = outcome.requestID, let finished = try await finishedOutcome(runID, line: subject.line)
        else { return outcome }
        return finished
    }

    /// The outcome of subject `subject`, or `nil` when its identifiers cannot be recovered.
    private func eraseSubject(_ subject: BatchJob.Subject, of job: BatchJob, journal: BatchJournal, planner: ErasurePlanner,
                       signer: Curve25519.Signing.PrivateKey) async throws -> BatchOutcome? {
        if let runID = subject.runID {
            // Interrupted while this subject ran: its run was resumed (or never reached the journal).
            switch try await ledger.runStatus(RunID(runID)) {
            case .completed, .incomplete:
                return try await finishedOutcome(runID, line: subject.line)
            case .executing:
                return failed(subject, runID, "its erasure is interrupted and could not be finished; see `dsar erase --resume`")
            case .abandoned:
                return failed(subject, runID, "its erasure was abandoned")
            case nil:
                break  // killed before its plan reached the journal: nothing was changed; erase it now
            }
        } else if let earlier = try journal.completed(digest: subject.digest, fileDigest: job.fileDigest, excluding: job.id) {
            var outcome = earlier.outcome
            outcome.line = subject.line
            outcome.alreadyErasedIn = outcome.alreadyErasedIn ?? earlier.job
            return outcome
        }
        guard let texts = try journal.identifiers(of: subject, in: job) else { return nil }
        let requestID = subject.runID ?? UUID().uuidString.lowercased()
        do {
            let identifiers = try texts.map { try SubjectIdentifier(parsing: $0, catalog: catalog) }
            try journal.markRunning(subject, of: job, runID: requestID)
            let plan = try await planner.plan(for: DataSubject(identifiers: identifiers), onlyBasis: job.onlyBasis, requestID: requestID)
            return BatchOutcome(result: try await execute(planned: plan, signer: signer), line: subject.line)
        } catch {
            return failed(subject, requestID, (error as? DSARError)?.description ?? "unexpected failure")
        }
    }

    /// The outcome of a finished run, read back from its certificate.
    private func finishedOutcome(_ runID: String, line: Int) async throws -> BatchOutcome? {
        guard let status = try await ledger.runStatus(RunID(runID)), status == .completed || status == .incomplete,
              let json = try await ledger.certificate(of: RunID(runID)),
              let certificate = try? JSONDecoder().decode(ErasureCertificate.self, from: Data(json.utf8)) else { return nil }
        return BatchOutcome(certificate: certificate, status: status.rawValue, line: line)
    }

    private func failed(_ subject: BatchJob.Subject, _ runID: String, _ error: String) -> BatchOutcome {
        BatchOutcome(line: subject.line, requestID: runID, status: "failed", deleted: 0, masked: 0, held: 0, filesDeleted: 0, error: error)
    }
}

extension BatchOutcome {
    init(result: ErasureOutcome, line: Int) {
        self.init(certificate: result.certificate, status: result.isComplete ? "completed" : "incomplete", line: line)
    }

    init(certificate: ErasureCertificate, status: String, line: Int) {
        let counts = certificate.collections
        self.init(line: line, requestID: certificate.requestID, status: status, deleted: counts.map(\.deleted).reduce(0, +),
                  masked: counts.map(\.masked).reduce(0, +), held: counts.map(\.held).reduce(0, +),
                  filesDeleted: certificate.filesDeleted)
    }
}
