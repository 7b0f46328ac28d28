import Foundation

/// The journal's rules for a grouped batch (``Erasure/execute(_:journal:fileDigest:filePath:outcomesPath:onlyBasis:groupSize:report:)``):
/// the same changes and audit entries as for one run at a time, several runs written in one
/// transaction. Either every change of a call is stored or none.
extension ErasureLedger {
    /// Writes every plan and its steps (all pending), as ``begin(_:at:)`` does for one.
    public func begin(_ plans: [ErasurePlan], at date: Date) async throws {
        try await commit(try plans.map { try Self.beginning($0, at: date) })
    }

    /// Records that each step is about to change its store, as ``markStarted(_:step:)`` does for one.
    public func markStarted(_ steps: [(run: RunID, step: Int)]) async throws {
        try await commit(steps.map { Self.starting($0.run, step: $0.step) })
    }

    /// Records that each step's change committed, as ``markDone(_:step:at:)`` does for one.
    public func markDone(_ steps: [(run: RunID, step: ErasureStep)], at date: Date) async throws {
        try await commit(steps.map { Self.done($0.run, step: $0.step, at: date) })
    }

    /// Closes every run, as ``finish(_:status:certificate:detail:at:)`` does for one.
    public func finish(_ runs: [(run: RunID, status: RunStatus, certificate: String, detail: String)], at date: Date) async throws {
        try await commit(try runs.map {
            try Self.finishing($0.run, status: $0.status, certificate: $0.certificate, detail: $0.detail, at: date)
        })
    }
}
