import Foundation

extension ErasureLedger {
    /// Gives up the unfinished run `runID` (``abandon(_:at:)``) while holding the erasure lock
    /// (or, on a ledger shared by workers, the run's lock), so that a run another erasure is
    /// finishing at that moment is never abandoned under it.
    public func abandonExclusively(_ runID: RunID, at date: Date) async throws {
        let lock = try await erasureLock()
        defer { withExtendedLifetime(lock) {} }
        let runLock = try await runLock(runID, subject: [])
        do {
            try await abandon(runID, at: date)
        } catch {
            await runLock?.release()
            throw error
        }
        await runLock?.release()
    }
}
