import Foundation

/// The journal's rules, written once for every ledger: what each change requires of the run,
/// and what the audit log says about it. A driver only stores what these decide
/// (``ErasureLedger/commit(_:_:)``).
extension ErasureLedger {
    /// Writes the plan and its steps (all pending) before anything is changed. Refused when
    /// the journal already has a run with this id.
    public func begin(_ plan: ErasurePlan, at date: Date) async throws {
        try await commit(try Self.beginning(plan, at: date))
    }

    static func beginning(_ plan: ErasurePlan, at date: Date) throws -> JournalWrite {
        let id = plan.runID
        var scope = plan.onlyBasis.map { "only rows with basis \($0.rawValue)" } ?? "full erasure"
        if let statement = plan.scopeStatement { scope = "scoped to \(statement.summary)" + (plan.onlyBasis == nil ? "" : "; \(scope)") }
        if let retention = plan.retention { scope = "retention sweep: \(retention.summary)" }
        let record = AuditRecord(runID: id, event: .runPlanned,
                                 detail: "\(scope); \(plan.steps.count) steps; \(plan.collections.count) collections", at: date)
        return JournalWrite(.begin(id, plan: try JournalRun.json(plan), steps: plan.steps.map(\.index), at: date)) { state in
            guard state == nil else {
                throw DSARError(.ledgerFailure, "the journal already has a run \(id.rawValue.prefix(40)); a run id is used once")
            }
            return .apply(record)
        }
    }

    /// Replaces the steps not yet done with those of a new plan (the data changed).
    public func replan(_ plan: ErasurePlan, keeping done: Set<Int>, reason: String, at date: Date) async throws {
        let id = plan.runID
        let pending = plan.steps.map(\.index).filter { !done.contains($0) }
        let record = AuditRecord(runID: id, event: .runReplanned, detail: "\(reason); \(pending.count) steps remain", at: date)
        try await commit(.replan(id, plan: try JournalRun.json(plan), pending: pending)) { state in
            try Self.requireUnfinished(state, id, "re-planned")
            return .apply(record)
        }
    }

    /// Records that a step is about to change its store (a file about to be unlinked). A step
    /// already started or done stays as it is.
    public func markStarted(_ runID: RunID, step: Int) async throws {
        try await commit(Self.starting(runID, step: step))
    }

    static func starting(_ runID: RunID, step: Int) -> JournalWrite {
        JournalWrite(.step(runID, index: step, status: .started)) { state in
            try Self.requireStep(state, runID, step)
            return state?.step == .pending ? .apply(nil) : .skip
        }
    }

    /// Records that a step's change committed. A step already done is not recorded twice.
    public func markDone(_ runID: RunID, step: ErasureStep, at date: Date) async throws {
        try await commit(Self.done(runID, step: step, at: date))
    }

    static func done(_ runID: RunID, step: ErasureStep, at date: Date) -> JournalWrite {
        let record = AuditRecord(runID: runID, event: .stepDone, detail: "step \(step.index + 1): \(step.summary)", at: date)
        return JournalWrite(.step(runID, index: step.index, status: .done)) { state in
            try Self.requireStep(state, runID, step.index)
            return state?.step == .done ? .skip : .apply(record)
        }
    }

    /// Records a failed step; the run stays unfinished and resumable.
    public func markFailed(_ runID: RunID, step: ErasureStep, error: DSARError, at date: Date) async throws {
        let record = AuditRecord(runID: runID, event: .stepFailed, detail: "step \(step.index + 1): \(step.summary): \(error.code)", at: date)
        try await commit(.note(runID)) { state in
            try Self.requireUnfinished(state, runID, "marked")
            return .apply(record)
        }
    }

    /// Closes a run as `completed` or `incomplete` (what verification found): stores the
    /// certificate, purges the plan (it names records and files). Refused for a run that is
    /// not unfinished: a run is closed once.
    public func finish(_ runID: RunID, status: RunStatus, certificate: String, detail: String, at date: Date) async throws {
        try await commit(try Self.finishing(runID, status: status, certificate: certificate, detail: detail, at: date))
    }

    static func finishing(_ runID: RunID, status: RunStatus, certificate: String, detail: String, at date: Date) throws -> JournalWrite {
        guard status == .completed || status == .incomplete else {
            throw DSARError(.ledgerFailure, "a run is finished as completed or incomplete, not \(status.rawValue)")
        }
        let record = AuditRecord(runID: runID, event: status.closingEvent, detail: detail, at: date)
        return JournalWrite(.close(runID, status: status, certificate: certificate, at: date)) { state in
            try Self.requireUnfinished(state, runID, "finished")
            return .apply(record)
        }
    }

    /// Gives up an unfinished run on purpose: it is closed as `abandoned` (the subject may be
    /// partly erased), its plan is purged, and the audit log says how far it got.
    public func abandon(_ runID: RunID, at date: Date) async throws {
        try await commit(.close(runID, status: .abandoned, certificate: nil, at: date)) { state in
            guard let state, state.status == .executing else {
                throw DSARError(.ledgerFailure, "there is no unfinished erasure \(runID.rawValue.prefix(40)) to abandon")
            }
            return .apply(AuditRecord(runID: runID, event: .runAbandoned,
                                      detail: "\(state.doneSteps ?? 0) of \(state.totalSteps ?? 0) steps were done; " +
                                          "the subject may be partly erased", at: date))
        }
    }

    /// Appends one entry on its own (of run `runID`, or of none).
    public func audit(_ event: AuditEvent, runID: RunID?, detail: String, at date: Date) async throws {
        let record = AuditRecord(runID: runID, event: event, detail: detail, at: date)
        try await commit(.note(runID)) { _ in .apply(record) }
    }

    /// Runs that were started and not finished, oldest first.
    public func unfinishedRuns() async throws -> [JournalRun] {
        try await runs(withStatus: .executing).map(JournalRun.init)
    }

    /// The unfinished run `runID`, or `nil` when there is none.
    public func unfinishedRun(_ runID: RunID) async throws -> JournalRun? {
        guard let record = try await run(runID), record.status == .executing else { return nil }
        return try JournalRun(record)
    }

    /// The status of run `runID`, or `nil` when the journal has no such run.
    public func runStatus(_ runID: RunID) async throws -> RunStatus? {
        try await run(runID)?.status
    }

    /// The stored certificate of a finished run.
    public func certificate(of runID: RunID) async throws -> String? {
        try await run(runID)?.certificate
    }

    static func requireUnfinished(_ state: RunState?, _ id: RunID, _ verb: String) throws {
        guard let state else {
            throw DSARError(.ledgerFailure, "the journal has no run \(id.rawValue.prefix(40)); it cannot be \(verb)")
        }
        guard state.status == .executing else {
            throw DSARError(.ledgerFailure, "run \(id.rawValue.prefix(40)) is already \(state.status.rawValue); a finished run " +
                            "is never \(verb) again")
        }
    }

    static func requireStep(_ state: RunState?, _ id: RunID, _ step: Int) throws {
        try requireUnfinished(state, id, "marked")
        guard state?.step != nil else {
            throw DSARError(.ledgerFailure, "run \(id.rawValue.prefix(40)) has no step \(step + 1)")
        }
    }
}
