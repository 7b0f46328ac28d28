import Foundation
import GRDB

/// The identifiers of erased people, as HMACs only: what a restore must not bring back.
///
/// Ask it before importing a record (``contains(_:)``), and let ``BackupReplay`` erase again
/// whatever a restored backup brought back. Each entry points at the request whose erasure put
/// it there; that request keeps the identifiers encrypted, which replay needs to discover again.
public struct SuppressionList: Sendable {
    /// One erased request on the list.
    public struct Entry: Sendable, Hashable, Codable {
        public var requestID: String
        /// `full`, or `consent` (consent withdrawal: only consent-based rows were erased).
        public var scope: String
        public var erasedAt: String
        /// How many identifier HMACs it holds.
        public var identifiers: Int
    }

    let book: RequestBook

    public init(book: RequestBook) { self.book = book }

    /// Whether `identifier` belongs to a fully erased person.
    public func contains(_ identifier: SubjectIdentifier) throws -> Bool {
        let hmac = book.hmacKey.hmac(identifier.description)
        return try book.ledger.read { db in
            try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM suppression WHERE hmac = ? AND scope = 'full')",
                              arguments: [hmac]) ?? false
        }
    }

    /// Erasures recorded on or after `since` (all of them when `nil`), oldest first.
    public func entries(since: Date? = nil) throws -> [Entry] {
        let from = since.map(ISO8601.timestamp) ?? ""
        return try book.ledger.read { db in
            try Row.fetchAll(db, sql: """
                SELECT request_id, scope, min(erased_at) AS erased_at, count(*) AS n FROM suppression
                WHERE erased_at >= ? GROUP BY request_id, scope ORDER BY min(erased_at), request_id
                """, arguments: [from]).map {
                Entry(requestID: $0["request_id"], scope: $0["scope"], erasedAt: $0["erased_at"], identifiers: $0["n"])
            }
        }
    }
}
