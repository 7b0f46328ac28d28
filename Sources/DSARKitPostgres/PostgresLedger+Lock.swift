import DSARKit

extension PostgresLedger {
    /// None: workers share this ledger and run many subjects at once. Each subject is erased
    /// (or resumed) under the row lock of its queue entry (``ErasureWorker``), which is the
    /// lease that keeps two workers off the same run; unfinished runs are the queue's to resume.
    public func erasureLock() async throws -> LedgerLock? { nil }
}
