import DSARKit
import Foundation
import PostgresNIO

extension PostgresLedger {
    /// None: workers share this ledger and run many subjects at once; each run holds its own
    /// lock (``runLock(_:subject:)``).
    public func erasureLock() async throws -> LedgerLock? { nil }

    /// Transaction-level advisory locks, taken with `pg_try_advisory_xact_lock` in a
    /// transaction that stays open until the lock is released: one on the run, one on each of
    /// the subject's identifiers. The keys are HMACs (the ledger's masking key) of the run id
    /// and of each identifier, so no identifier reaches the server, its logs or `pg_locks`.
    /// When the process dies its connection closes and PostgreSQL releases them.
    public func runLock(_ id: RunID, subject: [SubjectIdentifier]) async throws -> LedgerLock? {
        try await runLock([id], subject: subject)
    }

    /// The locks of ``runLock(_:subject:)`` for several runs (a grouped batch), all taken in
    /// one transaction on one connection, or none.
    public func runLock(_ ids: [RunID], subject: [SubjectIdentifier]) async throws -> LedgerLock? {
        try await prepare()
        let maskingKey = try keys.maskingKey()
        let namespace = Self.lockKey(maskingKey.hmac("dsarkit-erasure-" + schema))
        let objects = Set(ids.map { Self.lockKey(maskingKey.hmac("run " + $0.rawValue)) } + subject.map { Self.lockKey(maskingKey.hmac($0)) })
            .sorted()
        let id = ids.first ?? RunID("")
        let (answers, answer) = AsyncThrowingStream<Bool, any Error>.makeStream()
        let (releases, release) = AsyncStream<Void>.makeStream()
        let (lockClient, logger) = (self.lockClient, self.logger)
        // The lock is the transaction: it stays open until released. A refusal is answered
        // only once its transaction (and any key it did take) has ended.
        let holder = Task {
            do {
                let granted = try await lockClient.withTransaction(logger: logger) { connection -> Bool in
                    var binds = PostgresBindings()
                    binds.append(namespace)
                    binds.append(objects)
                    let rows = try await connection.query(PostgresQuery(unsafeSQL: """
                        SELECT bool_and(pg_try_advisory_xact_lock($1, k)) FROM unnest($2::int4[]) AS k
                        """, binds: binds), logger: logger)
                    var granted = false
                    for try await value in rows.decode(Bool.self) { granted = value }
                    guard granted else { return false }
                    answer.yield(true)
                    for await _ in releases { break }
                    return true
                }
                if !granted { answer.yield(false) }
                answer.finish()
            } catch {
                answer.finish(throwing: error)
            }
        }
        let granted: Bool
        do {
            var iterator = answers.makeAsyncIterator()
            granted = try await iterator.next() ?? false
        } catch {
            throw failure(error, "the erasure lock could not be taken")
        }
        guard granted else {
            throw DSARError(.erasureInProgress, "run \(id.rawValue.prefix(40))\(ids.count > 1 ? " (or another of its group)" : ""), or another erasure of its subject, is running in another " +
                            "process; wait for it to finish", location: "ledger \(schema)")
        }
        return LedgerLock(releasing: {
            release.yield()
            release.finish()
            await holder.value
        })
    }

    /// A lock key: the first 32 bits of an HMAC (lower-case hex).
    static func lockKey(_ hmac: String) -> Int32 {
        Int32(bitPattern: UInt32(hmac.prefix(8), radix: 16) ?? 0)
    }
}
