import Foundation
import Logging

/// Erases again what a restored backup brought back.
///
/// A backup taken on day D still holds everyone erased after D. After restoring it, run
/// ``replay(since:)`` with D: for every request on the ``SuppressionList`` erased on or after D,
/// discovery runs again with the request's identifiers (kept encrypted in the ledger) and
/// whatever it finds is erased by a new journaled, certified run (`R-2026-0007.replay-…`).
/// Holds are honoured as in any erasure: held rows stay, and are reported.
public struct BackupReplay: Sendable {
    public let catalog: Catalog
    /// Opened writable.
    public let stores: StoreSet
    public let book: RequestBook
    public var logger: Logger

    public init(catalog: Catalog, stores: StoreSet, book: RequestBook, logger: Logger = Logger(label: "dsar.replay")) {
        self.catalog = catalog
        self.stores = stores
        self.book = book
        self.logger = logger
    }

    /// Replays every erasure recorded on or after `since`. `dryRun` only plans. A replay that
    /// erases holds the ledger's erasure lock throughout and is refused while the ledger holds
    /// an interrupted erasure (as ``Erasure/execute(_:onlyBasis:requestID:)`` is).
    public func replay(since: Date, dryRun: Bool = false) async throws -> ReplayReport {
        let erasure = Erasure(catalog: catalog, stores: stores, ledger: try book.journal, now: book.now, logger: logger)
        if dryRun { return try await replay(since: since, dryRun: true, erasure: erasure) }
        return try await book.ledger.exclusively(request: "replay") {
            try await erasure.exclusively(refusingInterrupted: true) {
                try await replay(since: since, dryRun: false, erasure: erasure)
            }
        }
    }

    private func replay(since: Date, dryRun: Bool, erasure: Erasure) async throws -> ReplayReport {
        let entries = try await SuppressionList(book: book).entries(since: since)
        let stamp = ISO8601.timestamp(book.now()).filter(\.isNumber).prefix(14)
        try await book.ledger.audit(runID: nil, event: "replay.started",
                              detail: "since \(ISO8601.timestamp(since)); \(entries.count) erased requests\(dryRun ? "; dry run" : "")",
                              at: book.now())
        var items: [ReplayReport.Item] = []
        for entry in entries {
            items.append(await replay(entry, runID: "\(entry.requestID).replay-\(stamp)", erasure: erasure, dryRun: dryRun))
        }
        let report = ReplayReport(since: ISO8601.timestamp(since), dryRun: dryRun, items: items)
        try await book.ledger.audit(runID: nil, event: "replay.finished", detail: report.summary, at: book.now())
        return report
    }

    private func replay(_ entry: SuppressionList.Entry, runID: String, erasure: Erasure, dryRun: Bool) async -> ReplayReport.Item {
        var item = ReplayReport.Item(requestID: entry.requestID, erasedAt: entry.erasedAt, status: "clean")
        do {
            guard let subject = try await book.storedSubject(of: entry.requestID) else {
                item.status = "purged"
                item.error = "its identifiers were purged at the end of the accountability period; it cannot be replayed"
                return item
            }
            let basis: LawfulBasis? = entry.scope.hasSuffix("consent") ? .consent : nil
            // A scoped erasure (`selected`) is replayed with the scope it ran with.
            var scope: RequestScope?
            if entry.scope.hasPrefix("selected") {
                guard let stored = try await book.scope(of: entry.requestID) else {
                    item.status = "purged"
                    item.error = "its scope was purged with its identifiers; it cannot be replayed"
                    return item
                }
                try stored.validate(against: erasure.catalog)
                scope = stored
            }
            // One discovery and one plan: the plan that found something is the one executed.
            let plan: ErasurePlan
            do {
                plan = try await erasure.planner().plan(for: subject, onlyBasis: basis, scope: scope, requestID: runID)
            } catch let error as DSARError where scope != nil && error.code == .invalidRequest {
                // The scope, valid for the catalog, selects none of the subject's records: none came back.
                return item
            }
            item.count(plan)
            guard item.found > 0 else { return item }
            guard !dryRun else { item.status = "found"; return item }
            let outcome = try await erasure.execute(planned: plan)
            item.runID = runID
            item.status = outcome.isComplete ? "erased" : "incomplete"
            item.residue = outcome.residue.count
            try await book.ledger.audit(runID: runID, event: "request.replayed",
                                  detail: "after a restore: \(item.found) items came back and were erased; \(item.held) held rows kept",
                                  at: book.now())
        } catch {
            let failure = error as? DSARError ?? DSARError(.storeFailure, "replay failed", cause: error)
            logger.error("replay failed", metadata: ["request": "\(entry.requestID)", "code": "\(failure.code)"])
            item.status = "failed"
            item.error = failure.description
        }
        return item
    }
}
