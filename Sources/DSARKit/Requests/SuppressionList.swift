import Foundation

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

        public init(requestID: String, scope: String, erasedAt: String, identifiers: Int) {
            self.requestID = requestID
            self.scope = scope
            self.erasedAt = erasedAt
            self.identifiers = identifiers
        }
    }

    let book: RequestBook

    public init(book: RequestBook) { self.book = book }

    /// Whether `identifier` belongs to a fully erased person.
    public func contains(_ identifier: SubjectIdentifier) async throws -> Bool {
        try await book.ledger.suppressionScopes(of: book.hmacKey.hmac(identifier.description)).contains("full")
    }

    /// Erasures recorded on or after `since` (all of them when `nil`), oldest first.
    public func entries(since: Date? = nil) async throws -> [Entry] {
        try await book.ledger.suppressionEntries(since: since.map(ISO8601.timestamp) ?? "")
    }
}
