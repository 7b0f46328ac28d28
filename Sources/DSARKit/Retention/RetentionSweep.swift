import Crypto
import Foundation
import Logging

/// Applies the catalog's `keep:` rules across all subjects: finds every row past its rule (one
/// set query per collection, dates compared in the database), and erases it with its
/// collection's own `erase:` rule, exactly as an ``Erasure`` does for one person.
///
/// ```swift
/// let sweep = RetentionSweep(catalog: catalog, stores: stores, ledger: try Ledger(for: catalog), logger: logger)
/// let plan = try await sweep.plan()            // a dry run: changes nothing
/// let outcome = try await sweep.execute()      // journaled, verified, certified
/// ```
///
/// The rows under a swept row follow it (a call's recordings go with the call), planned
/// children first, a recording's file before its row; holds are honoured, their own and those
/// of the rows above (a MiFID II order call kept 5 years stays, reported held), and a row that
/// a row staying behind points at is kept. A sweep is a run of the ledger like an erasure: the
/// same journal (records named by collection and key, no subject), the erasure lock, resume
/// (``Erasure/resume()``, `dsar erase --resume`), verification (the steps are in place, and the
/// rules, read again with the same cutoffs, find nothing left but held, kept and masked rows)
/// and one signed certificate (``ErasureCertificate`` with scope `retention`). Run it again
/// and it plans nothing: it is idempotent, safe to schedule.
public struct RetentionSweep: Sendable {
    public let catalog: Catalog
    public let stores: StoreSet
    public let ledger: any ErasureLedger
    /// The clock the cutoffs are counted from.
    public var now: @Sendable () -> Date
    public var logger: Logger
    /// Called after each step of a run is journaled done: steps done, of how many.
    public var onStep: (@Sendable (_ done: Int, _ total: Int) -> Void)? = nil

    public init(catalog: Catalog, stores: StoreSet, ledger: any ErasureLedger, now: @escaping @Sendable () -> Date = { Date() },
                logger: Logger) {
        self.catalog = catalog
        self.stores = stores
        self.ledger = ledger
        self.now = now
        self.logger = logger
    }

    var erasure: Erasure {
        var erasure = Erasure(catalog: catalog, stores: stores, ledger: ledger, now: now, logger: logger)
        erasure.onStep = onStep
        return erasure
    }

    /// What a sweep would do now, changing nothing. `only` restricts it to some collections
    /// with a `keep:` rule (the rows under theirs still follow them).
    public func plan(only: [String] = [], requestID: String? = nil) async throws -> ErasurePlan {
        let requestID = requestID ?? Self.newRequestID(at: now())
        let gathering = RetentionGathering(catalog: catalog, stores: stores, logger: logger)
        var statement = try gathering.statement(only: only, at: now())
        let gathered = try await gathering.gather(statement)
        for index in statement.parts.indices { statement.parts[index].pastRule = gathered.pastRule[statement.parts[index].collection] ?? 0 }
        let plan = try await erasure.planner().plan(from: gathered.result, selecting: gathered.selected, requestID: requestID)
        return plan.sweepPlan(statement, alreadyMasked: [])
    }

    /// Plans, journals, runs, verifies and certifies a sweep, holding the ledger's erasure lock;
    /// refused while the ledger holds an interrupted run (resume it first).
    public func execute(only: [String] = [], requestID: String? = nil) async throws -> ErasureOutcome {
        let requestID = requestID ?? Self.newRequestID(at: now())
        let erasure = self.erasure
        return try await erasure.exclusively(refusingInterrupted: true) {
            let signer = try ledger.signingKey()
            let plan = try await plan(only: only, requestID: requestID)
            logger.info("retention sweep planned", metadata: ["request": "\(requestID)", "steps": "\(plan.steps.count)"])
            return try await erasure.execute(planned: plan, signer: signer)
        }
    }

    /// `sweep-2026-12-01-…`: a sweep's run id, dated and unique.
    public static func newRequestID(at date: Date) -> String {
        "sweep-\(CalendarDay(date).description)-\(UUID().uuidString.lowercased().prefix(8))"
    }
}

extension RetentionSweep {
    /// Finishes one interrupted sweep of the journal (re-planned with its own cutoffs if the
    /// data changed), holding the ledger's erasure lock. ``Erasure/resume()`` finishes every
    /// interrupted run, sweeps included.
    public func resume(_ journal: JournalRun) async throws -> ErasureOutcome {
        guard journal.plan.retention != nil else {
            throw DSARError(.invalidRequest, "run \(journal.plan.requestID.prefix(40)) is an erasure, not a retention sweep")
        }
        return try await erasure.resume(journal)
    }
}
