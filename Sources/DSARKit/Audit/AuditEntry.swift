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
    /// SHA-256 of this entry's fields and ``previousHash``.
    public var hash: String

    /// The hash this entry should have.
    public var computedHash: String {
        let text = [String(sequence), at, runID ?? "", event, detail, previousHash].joined(separator: "\u{1f}")
        return SHA256.hash(data: Data(text.utf8)).hex
    }

    static let genesis = String(repeating: "0", count: 64)
}
