import Foundation

/// Where a ``RequestBook`` keeps its requests: the local SQLite ``Ledger``, a ledger several
/// processes share (`PostgresLedger` in DSARKitPostgres), or `InMemoryRequestLedger` in
/// DSARKitTesting. Prove yours with `RequestLedgerConformance`.
///
/// A request ledger stores and finds; ``RequestBook`` decides. Ids, deadlines, what may
/// change when, the sealing of identifiers and every audit text are the book's: the ledger
/// allocates sequence numbers, writes what it is handed and appends the audit entry in the
/// same transaction as the change, so a change is never recorded without its entry. It
/// keeps no identifier in clear: a request's identifiers and note arrive sealed, and
/// lookups go by HMAC.
public protocol RequestLedger: Sendable {
    /// The key folder: the book seals identifiers with its `requests.key` and HMACs them with
    /// its `masking.key`.
    var keys: LedgerKeys { get }

    /// Creates what the requests need (tables) if missing, and checks this process's keys are
    /// the ones the ledger was first used with: a shared ledger read with other keys would
    /// find no one and open nothing. Called by ``RequestBook/init(ledger:now:)``.
    func prepareRequests() async throws

    /// Records a new request: allocates the next sequence number (1, 2, …; never the same one
    /// twice, even for processes opening requests at the same moment), lets `make` build the
    /// request from it, and stores it with its sealed identifiers, their HMACs and its audit
    /// entry, all or nothing.
    func insertRequest(_ make: @escaping @Sendable (_ sequence: Int) throws -> NewRequest) async throws -> DataRequest

    /// The request `id`, or `nil`.
    func request(_ id: String) async throws -> DataRequest?
    /// The sealed identifiers, note and scope of request `id` (`nil` fields once purged), or
    /// `nil` when there is no such request.
    func sealedIdentifiers(of id: String) async throws -> SealedIdentifiers?
    /// Requests with an identifier whose HMAC is `hmac`, oldest first.
    func requests(withHMAC hmac: String) async throws -> [DataRequest]
    /// Every request, by due day, then oldest first.
    func allRequests() async throws -> [DataRequest]

    /// Changes request `id`: reads it (holding it against other changes), hands it to `change`
    /// and writes the request `change` returns, its suppression entries and its audit entry,
    /// all or nothing; nothing is written when `change` throws. Throws
    /// ``DSARError/requestNotFound(_:)`` when there is no such request. Returns the request written.
    @discardableResult
    func updateRequest(_ id: String, _ change: @escaping @Sendable (DataRequest) throws -> RequestChange) async throws -> DataRequest

    /// Deletes the sealed identifiers, note, scope and identifier HMACs of the requests `ids` that
    /// still have any, appending `entry(id)` to the audit log for each. Returns those purged.
    func purgeIdentifiers(of ids: [String], entry: @escaping @Sendable (String) -> RequestAuditEntry) async throws -> [String]

    /// The scopes (`full`, `consent`) under which `hmac` is on the suppression list.
    func suppressionScopes(of hmac: String) async throws -> Set<String>
    /// Erased requests on the suppression list, erased at or after `since` (ISO 8601), oldest first.
    func suppressionEntries(since: String) async throws -> [SuppressionList.Entry]

    /// The erasure runs of request `id` in the journal (`R-2026-0001`, `R-2026-0001.2`,
    /// `R-2026-0001.replay-…`), in the order they were started.
    func erasureRuns(of id: String) async throws -> [RequestRunRecord]

    /// Appends one entry on its own (a replay's start and end).
    func audit(runID: String?, event: String, detail: String, at date: Date) async throws
    /// Every audit entry, oldest first.
    func auditEntries() async throws -> [AuditEntry]

    /// Runs `body` as the only run of request `id` (or of `replay`) across every process using
    /// this ledger, or throws ``DSARError/Code/erasureInProgress`` at once. A ledger whose
    /// erasures already exclude each other (the SQLite ledger's erasure lock) runs `body` as is.
    func exclusively<T: Sendable>(request id: String, _ body: @Sendable () async throws -> T) async throws -> T
}

extension RequestLedger {
    public func exclusively<T: Sendable>(request id: String, _ body: @Sendable () async throws -> T) async throws -> T {
        try await body()
    }
}

/// A request as ``RequestBook/open(_:subject:received:channel:note:)`` hands it to the ledger.
public struct NewRequest: Sendable {
    public var request: DataRequest
    public var sequence: Int
    /// The identifiers (`type:value` lines), sealed with the request id as context.
    public var subject: Data
    public var note: Data?
    /// The part of the subject's data the request is about (a ``RequestScope`` as JSON), sealed
    /// like the note: its record keys can be personal. `nil`: everything.
    public var scope: Data?
    /// The HMACs of the identifiers, for ``RequestLedger/requests(withHMAC:)``.
    public var hmacs: Set<String>
    public var entry: RequestAuditEntry

    public init(request: DataRequest, sequence: Int, subject: Data, note: Data?, scope: Data? = nil, hmacs: Set<String>,
                entry: RequestAuditEntry) {
        self.request = request
        self.sequence = sequence
        self.subject = subject
        self.note = note
        self.scope = scope
        self.hmacs = hmacs
        self.entry = entry
    }
}

/// What ``RequestLedger/updateRequest(_:_:)`` writes: the request as it now is, identifier
/// HMACs to put on the suppression list (under `scope`, erased at the entry's time), and the
/// audit entry.
public struct RequestChange: Sendable {
    public var request: DataRequest
    public var suppress: Set<String>
    public var scope: String
    public var entry: RequestAuditEntry

    public init(request: DataRequest, suppress: Set<String> = [], scope: String = "full", entry: RequestAuditEntry) {
        self.request = request
        self.suppress = suppress
        self.scope = scope
        self.entry = entry
    }
}

/// An audit entry of a request (its run id is the request id): names types, days and
/// reasons, never an identifier.
public struct RequestAuditEntry: Sendable, Hashable {
    public var event: String
    public var detail: String
    public var at: Date

    public init(event: String, detail: String, at: Date) {
        self.event = event
        self.detail = detail
        self.at = at
    }

    /// `at` as the ledger stores times (ISO 8601, UTC): the erasure time of suppression entries.
    public var timestamp: String { ISO8601.timestamp(at) }
}

/// A request's sealed identifiers, note and scope, as stored.
public struct SealedIdentifiers: Sendable, Hashable {
    public var subject: Data?
    public var note: Data?
    /// The sealed ``RequestScope`` of a scoped request (see ``NewRequest/scope``).
    public var scope: Data?

    public init(subject: Data?, note: Data?, scope: Data? = nil) {
        self.subject = subject
        self.note = note
        self.scope = scope
    }
}

/// An erasure run of a request, as the journal holds it.
public struct RequestRunRecord: Sendable, Hashable {
    public var id: String
    /// The signed certificate, once the run finished.
    public var certificate: String?

    public init(id: String, certificate: String?) {
        self.id = id
        self.certificate = certificate
    }
}

extension DSARError {
    /// There is no request `id` in the ledger (the id is cut to 40 characters).
    public static func requestNotFound(_ id: String) -> DSARError {
        DSARError(.invalidRequest, "there is no request \(id.prefix(40)) in the ledger")
    }
}
