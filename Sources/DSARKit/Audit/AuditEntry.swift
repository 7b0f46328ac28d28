import Crypto
import Foundation

/// One entry of the audit log. It names runs, steps, collections and counts, never a
/// person, a key value or a file path.
public struct AuditEntry: Sendable, Hashable, Codable {
    public var sequence: Int64
    public var at: String
    public var runID: String?
    public var event: String
    public var detail: String
    /// The hash of the entry before (64 zeros for the first).
    public var previousHash: String
    /// HMAC-SHA256 (the ledger's ``AuditKey``) of this entry's fields and ``previousHash``.
    /// Entries written before the log was keyed hold plain SHA-256 instead.
    public var hash: String

    /// The fields the hash covers, in order.
    var hashedText: String {
        [String(sequence), at, runID ?? "", event, detail, previousHash].joined(separator: "\u{1f}")
    }

    /// The hash this entry should have, sealed with `key`.
    public func sealedHash(_ key: AuditKey) -> String { key.seal(hashedText) }

    /// Plain SHA-256 of the fields: how entries were chained before the log was keyed.
    var plainHash: String { SHA256.hash(data: Data(hashedText.utf8)).hex }

    static let genesis = String(repeating: "0", count: 64)
}
