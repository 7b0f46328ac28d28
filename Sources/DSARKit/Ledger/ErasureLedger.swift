import Crypto
import Foundation
import GRDB

/// Where erasures are journaled and audited: the local SQLite ``Ledger``, or a ledger that
/// several processes share (`PostgresLedger` in DSARKitPostgres).
///
/// ``Erasure`` writes the plan with ``begin(_:at:)`` before the first change, marks each
/// step done once its store change committed, and closes the run with
/// ``finish(_:status:certificate:detail:at:)``; every write appends to the hash-chained
/// audit log in the same transaction. Keys (masking, signing) are files in a local folder
/// (``LedgerKeys``), never in the shared database.
public protocol ErasureLedger: Sendable {
    /// The masking, signing and public keys.
    var keys: LedgerKeys { get }

    /// Writes the plan and its steps (all pending) before anything is changed.
    func begin(_ plan: ErasurePlan, at date: Date) async throws
    /// Replaces the steps not yet done with those of a new plan (the data changed).
    func replan(_ plan: ErasurePlan, keeping done: Set<Int>, reason: String, at date: Date) async throws
    /// Records that a step is about to change its store (a file about to be unlinked).
    func markStarted(_ runID: String, step: Int) async throws
    /// Records that a step's change committed.
    func markDone(_ runID: String, step: ErasureStep, at date: Date) async throws
    /// Records a failed step; the run stays unfinished and resumable.
    func markFailed(_ runID: String, step: ErasureStep, error: DSARError, at date: Date) async throws
    /// Closes a run: stores the certificate, purges the plan (it names records and files).
    func finish(_ runID: String, status: String, certificate: String, detail: String, at date: Date) async throws
    /// Gives up an unfinished run on purpose (recorded in the audit log).
    func abandon(_ runID: String, at date: Date) async throws
    /// Runs that were started and not finished, oldest first.
    func unfinishedRuns() async throws -> [JournalRun]
    /// The unfinished run `runID`, or `nil` when there is none.
    func unfinishedRun(_ runID: String) async throws -> JournalRun?
    /// The status of run `runID` (`executing`, `completed`, `incomplete`, `abandoned`), or `nil`.
    func runStatus(_ runID: String) async throws -> String?
    /// The stored certificate of a finished run.
    func certificate(of runID: String) async throws -> String?

    /// Every audit entry, oldest first.
    func auditEntries() async throws -> [AuditEntry]
    /// The hash of the newest entry (certificates carry it).
    func auditHead() async throws -> String
    /// Appends one entry on its own.
    func audit(runID: String?, event: String, detail: String, at date: Date) async throws
    /// Checks the audit log: the hash chain, and whatever else the ledger keeps to vouch for it.
    func checkAudit() async throws -> AuditVerification

    /// Makes the caller the only erasure executing or resuming runs of this ledger until the
    /// returned lock is released, or throws ``DSARError/Code/erasureInProgress`` at once.
    /// ``Erasure`` takes it itself. `nil` when the ledger is shared by workers that each hold
    /// the subject they erase under a lock of their own (the PostgreSQL ledger's queue rows):
    /// ``Erasure`` then neither locks nor refuses because of unfinished runs, which are other
    /// workers' to finish.
    func erasureLock() async throws -> LedgerLock?
}

extension ErasureLedger {
    /// The hash chain and its seals alone (a ledger that keeps an anchor checks it too).
    public func checkAudit() async throws -> AuditVerification {
        AuditVerification.check(try await auditEntries(), key: try keys.existingAuditKey())
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

    public func unfinishedRun(_ runID: String) async throws -> JournalRun? {
        try unfinishedRuns().first { $0.plan.requestID == runID }
    }

    /// The file lock of ``lockForErasure()``: one erasing process (and task) per ledger folder.
    public func erasureLock() async throws -> LedgerLock? { try lockForErasure() }

    public func runStatus(_ runID: String) async throws -> String? {
        try read { try String.fetchOne($0, sql: "SELECT status FROM runs WHERE id = ?", arguments: [runID]) }
    }
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
