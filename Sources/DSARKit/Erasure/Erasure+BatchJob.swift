import Crypto
import Foundation

extension Erasure {
    /// Erases the subjects of `batch` in groups of `groupSize` (1: one after the other), as a job journaled in `journal`:
    /// recorded as a whole before the first subject, each subject's state as it goes, so that
    /// ``resume(batches:groupSize:report:)`` finishes it after an interruption. Subjects that an earlier
    /// run of the same batch file (same `fileDigest`) completed are not erased again: their
    /// outcome line is written again from the ledger, marked ``BatchOutcome/alreadyErasedIn``.
    /// A failing subject is reported and the others go on. The outcome file at `outcomesPath`
    /// ends with one line per subject; `report` is called after each subject (a progress bar).
    /// Holds the ledger's erasure lock for the whole batch; refused while the ledger holds an
    /// interrupted run or an interrupted batch of another file.
    ///
    /// A group is planned subject by subject, journaled in one ledger write, each collection's
    /// step run for the whole group in one store transaction and marked done for the group in
    /// one write; every subject is still verified and certified on its own, with one outcome
    /// line. A subject whose step fails is isolated (the group's transaction is retried without
    /// it) and stays resumable; subjects whose plans share a record or an identifier (a
    /// household phone) never share a group: the later one waits for the next group and is
    /// planned after the earlier one's erasure, so a grouped batch erases exactly what one
    /// subject at a time would.
    public func execute(_ batch: ErasureBatch, journal: BatchJournal, fileDigest: String, filePath: String,
                        outcomesPath: String, onlyBasis: LawfulBasis? = nil, groupSize: Int = Erasure.defaultGroupSize,
                        report: (BatchOutcome) throws -> Void) async throws -> BatchJob.Summary {
        try await exclusively(refusingInterrupted: true) {
            let signer = try ledger.signingKey()  // read once for the batch, and refused before anything is erased
            let job = try journal.start(batch, fileDigest: fileDigest, filePath: filePath, outcomesPath: outcomesPath,
                                        onlyBasis: onlyBasis, at: now())
            return try await runJob(job, journal: journal, groupSize: groupSize, signer: signer, report: report)
        }
    }

    /// Finishes every interrupted run (as ``resume()``), then the rest of every interrupted
    /// batch: its outcome file is completed to one line per subject, its subjects erased in
    /// groups of `groupSize`. Holds the ledger's erasure lock.
    public func resume(batches journal: BatchJournal, groupSize: Int = Erasure.defaultGroupSize,
                       report: (BatchOutcome) throws -> Void) async throws -> (runs: [Result<ErasureOutcome, DSARError>],
                                                                               batches: [BatchJob.Summary]) {
        try await exclusively(refusingInterrupted: false) {
            let signer = try ledger.signingKey()
            let runs = try await resumeRuns(signer: signer)
            var batches: [BatchJob.Summary] = []
            for job in try journal.unfinishedJobs() {
                batches.append(try await runJob(job, journal: journal, groupSize: groupSize, signer: signer, report: report))
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
    private func runJob(_ job: BatchJob, journal: BatchJournal, groupSize: Int, signer: Curve25519.Signing.PrivateKey,
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
        var run = BatchRun(job: job, journal: journal, file: file, summary: summary)
        let planner = try planner()
        var queue = job.subjects.filter { $0.outcome == nil }[...]
        while !queue.isEmpty {
            // Subjects in batch order: those settled without erasing (outcome known, or never
            // started) and those planned for the group, written out in that order.
            var members: [(subject: BatchJob.Subject, outcome: BatchOutcome?, plan: ErasurePlan?)] = []
            var planned = 0
            var touched = Set<String>()
            while planned < max(groupSize, 1), let subject = queue.first {
                let requestID: String
                switch try await settle(subject, journal: journal, job: job) {
                case .settled(let outcome):
                    queue.removeFirst()
                    members.append((subject, outcome, nil))
                    continue
                case .erase(let id):
                    requestID = id
                }
                if groupSize <= 1 {
                    queue.removeFirst()
                    planned += 1
                    members.append((subject, try await eraseSubject(subject, requestID: requestID, of: job, journal: journal,
                                                                    planner: planner, signer: signer), nil))
                    continue
                }
                let plan: ErasurePlan?
                do {
                    plan = try await self.plan(subject, requestID: requestID, of: job, journal: journal, planner: planner)
                } catch {
                    queue.removeFirst()
                    members.append((subject, failed(subject, requestID, (error as? DSARError)?.description ?? "unexpected failure"), nil))
                    continue
                }
                guard let plan else {
                    queue.removeFirst()
                    members.append((subject, nil, nil))
                    continue
                }
                // A subject sharing anything with the group waits: it opens the next group, planned
                // again after this one's erasure, as it would be one subject at a time.
                let records = plan.touchedRecords
                guard touched.isDisjoint(with: records) else { break }
                queue.removeFirst()
                planned += 1
                touched.formUnion(records)
                members.append((subject, nil, plan))
            }
            let group = members.compactMap { member in member.plan.map { (member.subject, $0) } }
            var results: [String: Result<ErasureOutcome, DSARError>] = [:]
            if !group.isEmpty {
                try journal.markRunning(group.map { ($0.0, $0.1.requestID) }, of: job)
                let outcomes = try await self.run(group: group.map(\.1), signer: signer)
                for ((_, plan), result) in zip(group, outcomes) { results[plan.requestID] = result }
            }
            try run.finish(members.map { member -> (BatchJob.Subject, BatchOutcome?) in
                guard let plan = member.plan else { return (member.subject, member.outcome) }
                switch results[plan.requestID] {
                case .success(let outcome)?: return (member.subject, BatchOutcome(result: outcome, line: member.subject.line))
                case .failure(let error)?: return (member.subject, failed(member.subject, plan.requestID, error.description))
                case nil: return (member.subject, failed(member.subject, plan.requestID, "its erasure did not run"))
                }
            }, report: report)
        }
        try journal.finish(job, neverStarted: run.summary.neverStarted, at: now())
        return run.summary
    }

    /// Where a batch job's outcomes go: the journal, the outcome file, the summary and `report`.
    private struct BatchRun {
        let job: BatchJob
        let journal: BatchJournal
        let file: BatchOutcomeFile
        var summary: BatchJob.Summary

        /// Records every outcome in one journal write, then writes and reports each, in order;
        /// a `nil` outcome is a subject never started (its identifiers cannot be recovered).
        mutating func finish(_ outcomes: [(BatchJob.Subject, BatchOutcome?)], report: (BatchOutcome) throws -> Void) throws {
            let known = outcomes.compactMap { subject, outcome in outcome.map { (subject, $0) } }
            try journal.markFinished(known, of: job)
            summary.neverStarted += outcomes.count - known.count
            for (_, outcome) in known {
                try file.append(outcome)
                summary.count(outcome)
                try report(outcome)
            }
        }
    }

    private enum Settlement {
        /// The outcome is known without erasing now; `nil`: never started.
        case settled(BatchOutcome?)
        /// To erase, under this request id.
        case erase(String)
    }

    /// Whether a subject's outcome is known without erasing it now (its run finished, failed,
    /// or an earlier run of the file erased it), or the request id to erase it under.
    private func settle(_ subject: BatchJob.Subject, journal: BatchJournal, job: BatchJob) async throws -> Settlement {
        if let runID = subject.runID {
            // Interrupted while this subject ran: its run was resumed (or never reached the journal).
            switch try await ledger.runStatus(RunID(runID)) {
            case .completed, .incomplete:
                return .settled(try await finishedOutcome(runID, line: subject.line))
            case .executing:
                return .settled(failed(subject, runID, "its erasure is interrupted and could not be finished; see `dsar erase --resume`"))
            case .abandoned:
                return .settled(failed(subject, runID, "its erasure was abandoned"))
            case nil:
                return .erase(runID)  // killed before its plan reached the journal: nothing was changed; erase it now
            }
        } else if let earlier = try journal.completed(digest: subject.digest, fileDigest: job.fileDigest, excluding: job.id) {
            var outcome = earlier.outcome
            outcome.line = subject.line
            outcome.alreadyErasedIn = outcome.alreadyErasedIn ?? earlier.job
            return .settled(outcome)
        }
        return .erase(UUID().uuidString.lowercased())
    }

    /// The plan of a subject, or `nil` when its identifiers cannot be recovered.
    private func plan(_ subject: BatchJob.Subject, requestID: String, of job: BatchJob, journal: BatchJournal,
                      planner: ErasurePlanner) async throws -> ErasurePlan? {
        guard let texts = try journal.identifiers(of: subject, in: job) else { return nil }
        let identifiers = try texts.map { try SubjectIdentifier(parsing: $0, catalog: catalog) }
        return try await planner.plan(for: DataSubject(identifiers: identifiers), onlyBasis: job.onlyBasis, requestID: requestID)
    }

    /// A recorded outcome, brought up to date: a subject that failed in a step and whose run
    /// was since finished by a resume gets that run's outcome.
    private func settled(_ subject: BatchJob.Subject, outcome: BatchOutcome) async throws -> BatchOutcome? {
        guard outcome.status == "failed", let runID = outcome.requestID, let finished = try await finishedOutcome(runID, line: subject.line)
        else { return outcome }
        return finished
    }

    /// The outcome of subject `subject` erased on its own, or `nil` when its identifiers cannot be recovered.
    private func eraseSubject(_ subject: BatchJob.Subject, requestID: String, of job: BatchJob, journal: BatchJournal,
                              planner: ErasurePlanner, signer: Curve25519.Signing.PrivateKey) async throws -> BatchOutcome? {
        guard try journal.identifiers(of: subject, in: job) != nil else { return nil }
        do {
            try journal.markRunning([(subject, requestID)], of: job)
            guard let plan = try await plan(subject, requestID: requestID, of: job, journal: journal, planner: planner) else { return nil }
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
