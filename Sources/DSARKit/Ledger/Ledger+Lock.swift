import Foundation
import Synchronization

/// An exclusive hold on a ledger (or, on a shared ledger, on one run and its subject). Released
/// by ``release()``, or when it is deinitialised, or when the process dies (even by SIGKILL),
/// so a crash never leaves a stale lock.
public final class LedgerLock: Sendable {
    private enum Release: Sendable {
        case now(@Sendable () -> Void)
        case later(@Sendable () async -> Void)
    }

    private let action: Release
    private let released = Mutex(false)

    /// A lock that `release` gives up at once (a file lock closed).
    public init(release: @escaping @Sendable () -> Void) { action = .now(release) }

    /// A lock given up by asynchronous work (a server-side lock whose transaction must end):
    /// ``release()`` returns once it is done; deinitialising starts it and does not wait.
    public init(releasing: @escaping @Sendable () async -> Void) { action = .later(releasing) }

    convenience init(descriptor: Int32) { self.init { close(descriptor) } }

    /// Gives the lock up, and returns once another holder can take it.
    public func release() async {
        guard take() else { return }
        switch action {
        case .now(let release): release()
        case .later(let release): await release()
        }
    }

    private func take() -> Bool {
        released.withLock { done in
            defer { done = true }
            return !done
        }
    }

    deinit {
        guard take() else { return }
        switch action {
        case .now(let release): release()
        case .later(let release): Task { await release() }
        }
    }
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
