import Foundation

extension Erasure {
    /// Runs `body` as the only erasure of this ledger: takes the ledger's erasure lock (refused
    /// with `erasureInProgress` when another erasure holds it) and, with `refusingInterrupted`,
    /// refuses with `interruptedRuns` while the journal holds a run that was interrupted. A
    /// ledger without a lock (shared by workers) is neither locked nor checked.
    func exclusively<T>(refusingInterrupted: Bool, _ body: () async throws -> T) async throws -> T {
        let lock = try await ledger.erasureLock()
        defer { withExtendedLifetime(lock) {} }
        if lock != nil, refusingInterrupted, case let count = try await ledger.unfinishedRuns().count, count > 0 {
            throw DSARError(.interruptedRuns, "\(count) erasure(s) were interrupted and are not finished; resume them first " +
                            "(`dsar erase --resume`) or abandon them")
        }
        return try await body()
    }
}
