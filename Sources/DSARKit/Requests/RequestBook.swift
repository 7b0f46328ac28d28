import Foundation
import GRDB

/// The privacy officer's ledger of requests, from receipt to proof: kept in the same SQLite
/// file as the erasure journal (its own tables), every change appended to the hash-chained
/// audit log in the same transaction.
///
/// ```swift
/// let book = try RequestBook(ledger: try Ledger(for: catalog))
/// let request = try book.open(.erasure, subject: subject, channel: .phone)
/// try book.verify(request.id, method: "called back on the number on file")
/// ```
///
/// The person's identifiers are encrypted with the ledger's ``SealingKey`` and found again
/// through their HMAC (the ledger's ``MaskingKey``); the audit log names identifier types,
/// days and reasons, never a value. `now` is injected so deadlines can be tested.
public final class RequestBook: Sendable {
    public let ledger: Ledger
    public let now: @Sendable () -> Date
    let sealingKey: SealingKey
    let hmacKey: MaskingKey

    public init(ledger: Ledger, now: @escaping @Sendable () -> Date = { Date() }) throws {
        self.ledger = ledger
        self.now = now
        sealingKey = try ledger.sealingKey()
        // The masking key HMACs identifiers for lookups; it is created once even by processes starting together.
        hmacKey = try ledger.maskingKey()
        try ledger.write { try Self.createTables($0) }
    }

    /// Today, in UTC, by the injected clock.
    public var today: CalendarDay { CalendarDay(now()) }

    /// Records a new request. `received` defaults to today; it cannot be in the future.
    @discardableResult
    public func open(_ kind: RequestKind, subject: DataSubject, received: CalendarDay? = nil,
                     channel: RequestChannel? = nil, note: String? = nil) throws -> DataRequest {
        let received = received ?? today
        guard received <= today else { throw DSARError(.invalidRequest, "the day of receipt \(received) is in the future") }
        guard !subject.identifiers.isEmpty else { throw DSARError(.invalidIdentifier, "name the subject with at least one identifier") }
        let deadline = Deadline(received: received)
        let identifiers = subject.identifiers.map(\.description)
        let hmacs = Set(identifiers.map(hmacKey.hmac))
        let types = Set(subject.identifiers.map(\.type)).sorted().joined(separator: ", ")
        let at = ISO8601.timestamp(now())
        let year = today.year
        let sealing = sealingKey
        let key = try ledger.auditKey()
        return try ledger.write { db in
            let seq = (try Int.fetchOne(db, sql: "SELECT max(seq) FROM requests") ?? 0) + 1
            let id = String(format: "R-%04d-%04d", year, seq)
            let sealedSubject = try sealing.seal(identifiers.joined(separator: "\n"), context: id)
            let sealedNote = try note.map { try sealing.seal($0, context: id + "/note") }
            try db.execute(sql: """
                INSERT INTO requests (id, seq, kind, channel, received, due, status, subject, note, opened_at)
                VALUES (?, ?, ?, ?, ?, ?, 'open', ?, ?, ?)
                """, arguments: [id, seq, kind.rawValue, channel?.rawValue, received.description, deadline.due.description,
                                 sealedSubject, sealedNote, at])
            for hmac in hmacs {
                try db.execute(sql: "INSERT INTO request_identifiers (request_id, hmac) VALUES (?, ?)", arguments: [id, hmac])
            }
            try AuditLog.append(db, key: key, runID: id, event: "request.opened",
                                detail: "\(kind.rawValue) request received \(received)\(channel.map { " by \($0.rawValue)" } ?? ""); " +
                                    "due \(deadline.due); identifiers: \(types)", at: at)
            return try Self.request(Row.fetchOne(db, sql: "SELECT * FROM requests WHERE id = ?", arguments: [id])!)
        }
    }

    /// The request `id`, or ``DSARError/Code/invalidRequest`` when there is none.
    public func request(_ id: String) throws -> DataRequest {
        let request = try ledger.read { try Row.fetchOne($0, sql: "SELECT * FROM requests WHERE id = ?", arguments: [id]).map(Self.request) }
        guard let request else { throw DSARError(.invalidRequest, "there is no request \(id.prefix(40)) in the ledger") }
        return request
    }

    /// The person's identifiers, decrypted.
    public func subject(of id: String) throws -> DataSubject {
        guard let subject = try storedSubject(of: id) else {
            throw DSARError(.invalidRequest, "the identifiers of request \(id.prefix(40)) were purged or never stored")
        }
        return subject
    }

    /// The person's identifiers, or `nil` once purged.
    func storedSubject(of id: String) throws -> DataSubject? {
        let blob = try ledger.read { try Data.fetchOne($0, sql: "SELECT subject FROM requests WHERE id = ?", arguments: [id]) }
        guard let blob else { return nil }
        let lines = try sealingKey.open(blob, context: id).split(separator: "\n")
        return DataSubject(identifiers: lines.compactMap { line in
            line.firstIndex(of: ":").map {
                SubjectIdentifier(type: String(line[..<$0]), normalizedValue: String(line[line.index(after: $0)...]))
            }
        })
    }

    /// The officer's note, decrypted.
    public func note(of id: String) throws -> String? {
        let blob = try ledger.read { try Data.fetchOne($0, sql: "SELECT note FROM requests WHERE id = ?", arguments: [id]) }
        return try blob.map { try sealingKey.open($0, context: id + "/note") }
    }

    /// Requests naming `identifier`, found by its HMAC (the value is never stored in clear).
    public func requests(naming identifier: SubjectIdentifier) throws -> [DataRequest] {
        let hmac = hmacKey.hmac(identifier.description)
        return try ledger.read { db in
            try Row.fetchAll(db, sql: """
                SELECT r.* FROM requests r JOIN request_identifiers i ON i.request_id = r.id WHERE i.hmac = ? ORDER BY r.seq
                """, arguments: [hmac]).map(Self.request)
        }
    }

    /// Requests sorted by due date (then by id), filtered.
    public func list(_ filter: RequestFilter = RequestFilter()) throws -> [DataRequest] {
        let all = try ledger.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM requests ORDER BY due, seq").map(Self.request)
        }
        let today = self.today
        return all.filter { filter.includes($0, today: today) }
    }
}
