import Crypto
import Foundation
import GRDB

/// Where erasures are journaled and audited: the local SQLite ``Ledger``, a ledger that
/// several processes share (`PostgresLedger` in DSARKitPostgres), or `InMemoryLedger`
/// (DSARKitTesting).
///
/// A ledger is a driver with few requirements, each a storage primitive in one transaction:
/// ``commit(_:_:)`` stores one ``JournalChange`` together with its audit entry, ``run(_:)`` and
/// ``runs(withStatus:)`` read runs back, ``auditEntries()`` and ``auditHead()`` read the
/// hash-chained audit log. The journal's rules (which status follows which, what each audit
/// entry says, purging the plan when a run closes, refusing to touch a closed run) are written
/// once, in extensions (``begin(_:at:)``, ``markDone(_:step:at:)``, ``finish(_:status:certificate:detail:at:)``,
/// ``abandon(_:at:)``…), and ``Erasure`` uses only those. `LedgerConformance` (DSARKitTesting)
/// proves a driver. Keys (masking, signing) are files in a local folder (``LedgerKeys``),
/// never in the shared database.
public protocol ErasureLedger: Sendable {
    /// The masking, signing and public keys.
    var keys: LedgerKeys { get }

    /// Stores one journal change and its audit entry, in one transaction:
    ///
    /// 1. reads the run the change names (``JournalChange/runID``) and locks it against other
    ///    writers until the transaction ends: its status, the status of the step the change
    ///    names (``JournalChange/stepIndex``), and for a change that needs them
    ///    (``JournalChange/needsStepCounts``) how many of its steps are done of how many;
    /// 2. calls `rules` with that state (`nil` when there is no such run, or the change names
    ///    none). When `rules` throws, nothing is written and the error is rethrown unchanged;
    ///    on ``JournalDecision/skip`` nothing is written;
    /// 3. on ``JournalDecision/apply(_:)`` stores the change exactly as
    ///    ``JournalChange`` describes it and appends the audit entry, if any, chained after the
    ///    newest entry and sealed with the ledger's ``AuditKey`` (entries from every process
    ///    form one chain); then commits. Either both are stored or neither is.
    func commit(_ change: JournalChange, _ rules: @Sendable (RunState?) throws -> JournalDecision) async throws

    /// Stores several journal changes and their audit entries in one transaction (a grouped
    /// batch journals its plans, and marks its steps, in one write): each change exactly as
    /// ``commit(_:_:)`` does, in order, `rules` called with the change's position and the state
    /// it reads (after the earlier changes of the same call). When `rules` throws for any of
    /// them, nothing of the call is written and the error is rethrown unchanged.
    ///
    /// The default commits them one after the other (not atomic: a crash may leave the first
    /// ones stored, which the journal's rules allow, each change being complete on its own);
    /// a driver overrides it with one transaction.
    func commit(_ changes: [JournalChange], _ rules: @Sendable (Int, RunState?) throws -> JournalDecision) async throws

    /// The run `id` as stored, or `nil` when there is none.
    func run(_ id: RunID) async throws -> JournalRecord?
    /// Every run with `status`, in the order they were begun (oldest first).
    func runs(withStatus status: RunStatus) async throws -> [JournalRecord]

    /// Every audit entry, oldest first.
    func auditEntries() async throws -> [AuditEntry]
    /// The hash of the newest entry (certificates carry it), ``AuditEntry/genesisHash`` when
    /// the log is empty.
    func auditHead() async throws -> String
    /// Checks the audit log: the hash chain, and whatever else the ledger keeps to vouch for it.
    func checkAudit() async throws -> AuditVerification

    /// Makes the caller the only erasure executing or resuming runs of this ledger until the
    /// returned lock is released, or throws ``DSARError/Code/erasureInProgress`` at once.
    /// ``Erasure`` takes it itself. `nil` when the ledger is shared by workers that each hold
    /// the subject they erase under a lock of their own (the PostgreSQL ledger's queue rows):
    /// ``Erasure`` then neither locks nor refuses because of unfinished runs, which are other
    /// workers' to finish.
    func erasureLock() async throws -> LedgerLock?

    /// For a ledger without an ``erasureLock()`` (shared by workers): makes the caller the only
    /// erasure, in any process, of run `id` and of any subject known by one of `subject`'s
    /// identifiers, until the returned lock is released (or the process dies), or throws
    /// ``DSARError/Code/erasureInProgress`` at once. ``Erasure`` takes it around every run it
    /// executes or resumes. `nil` (the default) when ``erasureLock()`` already makes the caller
    /// the only erasure of the whole ledger.
    func runLock(_ id: RunID, subject: [SubjectIdentifier]) async throws -> LedgerLock?

    /// ``runLock(_:subject:)`` for several runs at once (a grouped batch): the caller is the
    /// only erasure of every run in `ids` and of any subject known by one of `subject`'s
    /// identifiers, or ``DSARError/Code/erasureInProgress`` is thrown at once and nothing is
    /// held. The default takes one run lock after the other (a driver whose locks each hold a
    /// connection takes them in one); `nil` when ``erasureLock()`` holds the whole ledger.
    func runLock(_ ids: [RunID], subject: [SubjectIdentifier]) async throws -> LedgerLock?
}

extension ErasureLedger {
    /// Each change in its own ``commit(_:_:)``, in order.
    public func commit(_ changes: [JournalChange], _ rules: @Sendable (Int, RunState?) throws -> JournalDecision) async throws {
        for (position, change) in changes.enumerated() {
            try await commit(change) { state in try rules(position, state) }
        }
    }

    /// The hash chain and its seals alone (a ledger that keeps an anchor checks it too).
    public func checkAudit() async throws -> AuditVerification {
        AuditVerification.check(try await auditEntries(), key: try keys.existingAuditKey())
    }

    /// None: ``erasureLock()`` holds the whole ledger.
    public func runLock(_ id: RunID, subject: [SubjectIdentifier]) async throws -> LedgerLock? { nil }

    /// One ``runLock(_:subject:)`` per run (the first with `subject`), all released together;
    /// when one is refused, those taken are released and the refusal rethrown.
    public func runLock(_ ids: [RunID], subject: [SubjectIdentifier]) async throws -> LedgerLock? {
        var locks: [LedgerLock] = []
        do {
            for (offset, id) in ids.enumerated() {
                if let lock = try await runLock(id, subject: offset == 0 ? subject : []) { locks.append(lock) }
            }
        } catch {
            for lock in locks { await lock.release() }
            throw error
        }
        guard !locks.isEmpty else { return nil }
        let taken = locks
        return LedgerLock(releasing: { for lock in taken { await lock.release() } })
    }

    /// The newest entry's hash, read from every entry (a driver reads the newest alone).
    public func auditHead() async throws -> String {
        try await auditEntries().last?.hash ?? AuditEntry.genesisHash
    }
}

extension ErasureLedger {
    public func maskingKey() throws -> MaskingKey { try keys.maskingKey() }
    public func signingKey() throws -> Curve25519.Signing.PrivateKey { try keys.signingKey() }
    public func publicKey() throws -> Curve25519.Signing.PublicKey { try keys.publicKey() }
}

extension Ledger: ErasureLedger {
    public var keys: LedgerKeys { LedgerKeys(folder: folder) }

    /// The hash chain and the anchor of its newest entry (``verifyAudit()``).
    public func checkAudit() async throws -> AuditVerification { try verifyAudit() }

    /// The file lock of ``lockForErasure()``: one erasing process (and task) per ledger folder.
    public func erasureLock() async throws -> LedgerLock? { try lockForErasure() }
}

extension AuditVerification {
    /// Checks an audit chain read from any ledger: sequence numbers, links, and seals with
    /// `key` (`nil` when the ledger's key file is missing, which is reported).
    public static func check(_ entries: [AuditEntry], key: AuditKey?) -> AuditVerification {
        AuditLog.verify(entries, key: key)
    }

    /// The chain, and the anchor of its newest entry the ledger keeps apart from the entries
    /// (`anchor` is its text, `nil` when it is missing; `name` says where it is kept).
    public static func check(_ entries: [AuditEntry], key: AuditKey?, anchor: String?, anchorName: String) -> AuditVerification {
        var verification = AuditLog.verify(entries, key: key)
        verification.problems += AuditAnchor.problems(anchor, entries: entries, key: key, name: anchorName)
        return verification
    }

    /// The sealed anchor text of entry `sequence` with `hash`, for a ledger that keeps its
    /// anchor itself (as `PostgresLedger` does in its `meta` table).
    public static func anchor(sequence: Int64, hash: String, key: AuditKey) -> String {
        AuditAnchor.text(sequence: sequence, hash: hash, key: key)
    }
}

extension AuditEntry {
    /// An entry as a ledger stored it.
    public static func stored(sequence: Int64, at: String, runID: String?, event: String, detail: String,
                              previousHash: String, hash: String) -> AuditEntry {
        AuditEntry(sequence: sequence, at: at, runID: runID, event: event, detail: detail, previousHash: previousHash, hash: hash)
    }

    /// The entry that follows `previous` (the first entry when `nil`), sealed with `key`.
    public static func chained(after previous: (sequence: Int64, hash: String)?, at date: Date, runID: String?,
                               event: String, detail: String, key: AuditKey) -> AuditEntry {
        var entry = AuditEntry(sequence: (previous?.sequence ?? 0) + 1, at: ISO8601.timestamp(date), runID: runID, event: event,
                               detail: detail, previousHash: previous?.hash ?? genesis, hash: "")
        entry.hash = entry.sealedHash(key)
        return entry
    }

    /// The previous hash of the first entry.
    public static var genesisHash: String { genesis }
}
