import Foundation

/// An exclusive hold on a ledger for one erasing process. Released when it is deinitialised
/// or the process dies (even by SIGKILL), so a crash never leaves a stale lock.
public final class LedgerLock: Sendable {
    private let descriptor: Int32

    init(descriptor: Int32) { self.descriptor = descriptor }

    deinit { close(descriptor) }
}

extension Ledger {
    /// Takes the ledger's erasure lock, or fails at once if another process, or another task
    /// of this one, holds it: two erasures must never execute or resume the same journal
    /// together. ``Erasure`` takes it itself (``erasureLock()``); do not hold it around an
    /// ``Erasure`` call, which would then be refused.
    public func lockForErasure() throws -> LedgerLock {
        let path = folder.appendingPathComponent("erasure.lock").path
        let descriptor = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw DSARError(.ledgerFailure, "the ledger lock cannot be opened", location: path) }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            close(descriptor)
            throw DSARError(.erasureInProgress, "another erasure is running with this ledger; wait for it to finish", location: path)
        }
        return LedgerLock(descriptor: descriptor)
    }
}
