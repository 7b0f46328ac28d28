import DSARKit
import Foundation

/// A ``RequestLedger`` in memory, for tests and for trying a request flow without a database:
/// the same rules as the SQLite and PostgreSQL ledgers (sequence numbers, all-or-nothing
/// changes with their sealed audit entries, HMAC lookups, suppression list), kept by an actor.
/// Its keys are files in `keys.folder`, as any ledger's. It keeps no erasure journal: record
/// the runs of a request with ``recordRun(_:certificate:)``.
public actor InMemoryRequestLedger: RequestLedger {
    public nonisolated let keys: LedgerKeys

    private struct Stored {
        var request: DataRequest
        var sequence: Int
        var sealed: SealedIdentifiers
        var hmacs: Set<String>
    }

    private struct Suppression: Hashable {
        var hmac: String
        var requestID: String
        var scope: String
        var erasedAt: String
    }

    private var stored: [String: Stored] = [:]
    private var suppression: [String: Suppression] = [:]
    private var runs: [RequestRunRecord] = []
    private var entries: [AuditEntry] = []
    private var running: Set<String> = []

    public init(keys: LedgerKeys) {
        self.keys = keys
    }

    public func prepareRequests() async throws {}

    public func insertRequest(_ make: @escaping @Sendable (Int) throws -> NewRequest) async throws -> DataRequest {
        let new = try make((stored.values.map(\.sequence).max() ?? 0) + 1)
        guard stored[new.request.id] == nil else {
            throw DSARError(.ledgerFailure, "request \(new.request.id) already exists")
        }
        let entry = try chained(new.entry, runID: new.request.id)
        stored[new.request.id] = Stored(request: new.request, sequence: new.sequence,
                                          sealed: SealedIdentifiers(subject: new.subject, note: new.note, scope: new.scope), hmacs: new.hmacs)
        entries.append(entry)
        return new.request
    }

    public func request(_ id: String) async throws -> DataRequest? { stored[id]?.request }

    public func sealedIdentifiers(of id: String) async throws -> SealedIdentifiers? { stored[id]?.sealed }

    public func requests(withHMAC hmac: String) async throws -> [DataRequest] {
        stored.values.filter { $0.hmacs.contains(hmac) }.sorted { $0.sequence < $1.sequence }.map(\.request)
    }

    public func allRequests() async throws -> [DataRequest] {
        stored.values.sorted { ($0.request.due, $0.sequence) < ($1.request.due, $1.sequence) }.map(\.request)
    }

    @discardableResult
    public func updateRequest(_ id: String, _ change: @escaping @Sendable (DataRequest) throws -> RequestChange) async throws -> DataRequest {
        guard var item = stored[id] else { throw DSARError.requestNotFound(id) }
        let update = try change(item.request)
        let entry = try chained(update.entry, runID: id)
        item.request = update.request
        stored[id] = item
        for hmac in update.suppress {
            suppression[hmac + "\n" + id] = Suppression(hmac: hmac, requestID: id, scope: update.scope, erasedAt: update.entry.timestamp)
        }
        entries.append(entry)
        return update.request
    }

    public func purgeIdentifiers(of ids: [String], entry: @escaping @Sendable (String) -> RequestAuditEntry) async throws -> [String] {
        var purged: [String] = []
        for id in ids {
            guard var item = stored[id], item.sealed.subject != nil || item.sealed.note != nil else { continue }
            entries.append(try chained(entry(id), runID: id))
            item.sealed = SealedIdentifiers(subject: nil, note: nil)
            item.hmacs = []
            stored[id] = item
            purged.append(id)
        }
        return purged
    }

    public func suppressionScopes(of hmac: String) async throws -> Set<String> {
        Set(suppression.values.filter { $0.hmac == hmac }.map(\.scope))
    }

    public func suppressionEntries(since: String) async throws -> [SuppressionList.Entry] {
        let recent = suppression.values.filter { $0.erasedAt >= since }
        let groups = Dictionary(grouping: recent) { [$0.requestID, $0.scope] }
        return groups.map { key, items in
            SuppressionList.Entry(requestID: key[0], scope: key[1], erasedAt: items.map(\.erasedAt).min()!, identifiers: items.count)
        }.sorted { ($0.erasedAt, $0.requestID) < ($1.erasedAt, $1.requestID) }
    }

    public func erasureRuns(of id: String) async throws -> [RequestRunRecord] {
        runs.filter { $0.id == id || $0.id.hasPrefix(id + ".") }
    }

    /// Records an erasure run (as a journal would): a new one, or the certificate of one recorded before.
    public func recordRun(_ id: String, certificate: String?) {
        if let index = runs.firstIndex(where: { $0.id == id }) {
            runs[index].certificate = certificate
        } else {
            runs.append(RequestRunRecord(id: id, certificate: certificate))
        }
    }

    public func audit(runID: String?, event: String, detail: String, at date: Date) async throws {
        entries.append(try chained(RequestAuditEntry(event: event, detail: detail, at: date), runID: runID))
    }

    public func auditEntries() async throws -> [AuditEntry] { entries }

    public func exclusively<T: Sendable>(request id: String, _ body: @Sendable () async throws -> T) async throws -> T {
        guard running.insert(id).inserted else {
            throw DSARError(.erasureInProgress, "request \(id.prefix(40)) is being run already")
        }
        defer { running.remove(id) }
        return try await body()
    }

    private func chained(_ entry: RequestAuditEntry, runID: String?) throws -> AuditEntry {
        AuditEntry.chained(after: entries.last.map { ($0.sequence, $0.hash) }, at: entry.at, runID: runID, event: entry.event,
                           detail: entry.detail, key: try keys.auditKey())
    }
}
