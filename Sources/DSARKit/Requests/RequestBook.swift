import Foundation

/// The privacy officer's ledger of requests, from receipt to proof: kept in the same ledger as
/// the erasure journal (its own tables), every change appended to the hash-chained audit log
/// in the same transaction. Any ``RequestLedger`` holds it: the SQLite ``Ledger``, or a
/// PostgreSQL ledger several processes and machines share.
///
/// ```swift
/// let book = try await RequestBook(ledger: try Ledger.opening(for: catalog))
/// let request = try await book.open(.erasure, subject: subject, channel: .phone)
/// try await book.verify(request.id, method: "called back on the number on file")
/// ```
///
/// The person's identifiers are encrypted with the ledger's ``SealingKey`` and found again
/// through their HMAC (the ledger's ``MaskingKey``); the audit log names identifier types,
/// days and reasons, never a value. `now` is injected so deadlines can be tested.
public final class RequestBook: Sendable {
    public let ledger: any RequestLedger
    public let now: @Sendable () -> Date
    let sealingKey: SealingKey
    let hmacKey: MaskingKey

    public init(ledger: any RequestLedger, now: @escaping @Sendable () -> Date = { Date() }) async throws {
        self.ledger = ledger
        self.now = now
        try await ledger.prepareRequests()
        // Both keys are created once even by processes starting together; a shared ledger has
        // checked in prepareRequests() that they are the ones it was first used with.
        sealingKey = try ledger.keys.sealingKey()
        hmacKey = try ledger.keys.maskingKey()
    }

    /// Today, in UTC, by the injected clock.
    public var today: CalendarDay { CalendarDay(now()) }

    /// The erasure journal of the book's ledger, for running erasures under request ids.
    var journal: any ErasureLedger {
        get throws {
            guard let journal = ledger as? any ErasureLedger else {
                throw DSARError(.unsupported, "this request ledger keeps no erasure journal; erasure requests cannot run with it")
            }
            return journal
        }
    }

    /// Records a new request. `received` defaults to today; it cannot be in the future. A
    /// `scope` (the recording of one call, the calls of one day) is kept sealed with the request
    /// and applied when it runs (``RequestRun``); check it against the catalog first
    /// (``RequestScope/validate(against:)``).
    @discardableResult
    public func open(_ kind: RequestKind, subject: DataSubject, received: CalendarDay? = nil,
                     channel: RequestChannel? = nil, note: String? = nil, scope: RequestScope? = nil) async throws -> DataRequest {
        let received = received ?? today
        guard received <= today else { throw DSARError(.invalidRequest, "the day of receipt \(received) is in the future") }
        guard !subject.identifiers.isEmpty else { throw DSARError(.invalidIdentifier, "name the subject with at least one identifier") }
        let deadline = Deadline(received: received)
        let identifiers = subject.identifiers.map(\.description)
        let hmacs = Set(identifiers.map(hmacKey.hmac))
        let types = Set(subject.identifiers.map(\.type)).sorted().joined(separator: ", ")
        let date = now()
        let year = today.year
        let sealing = sealingKey
        let scope = scope.flatMap { $0.isEmpty ? nil : $0 }
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let scopeJSON = try scope.map { String(decoding: try encoder.encode($0), as: UTF8.self) }
        return try await ledger.insertRequest { sequence in
            let id = String(format: "R-%04d-%04d", year, sequence)
            let request = DataRequest(id: id, kind: kind, channel: channel, deadline: deadline, status: .open, forced: false,
                                      openedAt: ISO8601.timestamp(date))
            let detail = "\(kind.rawValue) request received \(received)\(channel.map { " by \($0.rawValue)" } ?? ""); " +
                "due \(deadline.due); identifiers: \(types)" + (scope.map { "; scoped: \($0.auditSummary)" } ?? "")
            return NewRequest(request: request, sequence: sequence,
                              subject: try sealing.seal(identifiers.joined(separator: "\n"), context: id),
                              note: try note.map { try sealing.seal($0, context: id + "/note") },
                              scope: try scopeJSON.map { try sealing.seal($0, context: id + "/scope") }, hmacs: hmacs,
                              entry: RequestAuditEntry(event: "request.opened", detail: detail, at: date))
        }
    }

    /// The request `id`, or ``DSARError/Code/invalidRequest`` when there is none.
    public func request(_ id: String) async throws -> DataRequest {
        guard let request = try await ledger.request(id) else { throw DSARError.requestNotFound(id) }
        return request
    }

    /// The person's identifiers, decrypted.
    public func subject(of id: String) async throws -> DataSubject {
        guard let subject = try await storedSubject(of: id) else {
            throw DSARError(.invalidRequest, "the identifiers of request \(id.prefix(40)) were purged or never stored")
        }
        return subject
    }

    /// The person's identifiers, or `nil` once purged.
    func storedSubject(of id: String) async throws -> DataSubject? {
        guard let blob = try await ledger.sealedIdentifiers(of: id)?.subject else { return nil }
        let lines = try sealingKey.open(blob, context: id).split(separator: "\n")
        return DataSubject(identifiers: lines.compactMap { line in
            line.firstIndex(of: ":").map {
                SubjectIdentifier(type: String(line[..<$0]), normalizedValue: String(line[line.index(after: $0)...]))
            }
        })
    }

    /// The scope the request was opened with, decrypted; `nil` for everything (or once purged).
    public func scope(of id: String) async throws -> RequestScope? {
        guard let blob = try await ledger.sealedIdentifiers(of: id)?.scope else { return nil }
        let json = try sealingKey.open(blob, context: id + "/scope")
        do {
            return try JSONDecoder().decode(RequestScope.self, from: Data(json.utf8))
        } catch {
            throw DSARError(.ledgerFailure, "the scope stored with request \(id.prefix(40)) cannot be read", location: id)
        }
    }

    /// The officer's note, decrypted.
    public func note(of id: String) async throws -> String? {
        let blob = try await ledger.sealedIdentifiers(of: id)?.note
        return try blob.map { try sealingKey.open($0, context: id + "/note") }
    }

    /// Requests naming `identifier`, found by its HMAC (the value is never stored in clear).
    public func requests(naming identifier: SubjectIdentifier) async throws -> [DataRequest] {
        try await ledger.requests(withHMAC: hmacKey.hmac(identifier.description))
    }

    /// Requests sorted by due date (then by id), filtered.
    public func list(_ filter: RequestFilter = RequestFilter()) async throws -> [DataRequest] {
        let today = self.today
        return try await ledger.allRequests().filter { filter.includes($0, today: today) }
    }
}
