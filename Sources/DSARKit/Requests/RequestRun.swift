import Foundation
import Logging

/// Answers a request from the ledger: writes the access package, or runs the erasure (or
/// consent withdrawal) under the request's id, links the package hash or the certificate to
/// the request and closes it. A request whose identity is not verified is refused unless a
/// reason to force it is given; that reason is audited.
public struct RequestRun: Sendable {
    /// Why a run may go ahead without verified identity.
    public enum Override: Sendable, Hashable {
        case none
        case force(reason: String)
    }

    public let catalog: Catalog
    /// Opened writable for erasures.
    public let stores: StoreSet
    public let book: RequestBook
    public var logger: Logger
    /// Who runs it (an officer's account name), recorded in the audit entry that closes the request.
    public var officer: String?
    /// Called after each erasure step the journal marked done: steps done, of how many.
    public var onStep: (@Sendable (_ done: Int, _ total: Int) -> Void)?

    public init(catalog: Catalog, stores: StoreSet, book: RequestBook, officer: String? = nil,
                logger: Logger = Logger(label: "dsar.requests")) {
        self.catalog = catalog
        self.stores = stores
        self.book = book
        self.officer = officer
        self.logger = logger
    }

    /// ` by officer NAME`, for audit details.
    var byOfficer: String { officer.map { " by officer \($0)" } ?? "" }

    /// Writes the access (or portability) package of request `id` to `url` and closes it.
    /// `options.requestID` and `options.portability` are taken from the request.
    public func access(_ id: String, to url: URL, options: AccessPackageOptions,
                       override: Override = .none) async throws -> PackageSummary {
        let request = try await admitted(id, kinds: [.access, .portability], override: override)
        let subject = try await book.subject(of: id)
        var options = options
        options.requestID = request.id
        options.portability = request.kind == .portability
        // The scope the request was opened with (the recording of one call), unless the caller gives one.
        if options.scope == nil { options.scope = try await book.scope(of: id) }
        let result = try await Discovery(catalog: catalog, stores: stores, logger: logger).discover(subject, keeping: .linkColumns)
        let summary = try await AccessPackageWriter(catalog: catalog, stores: stores, logger: logger)
            .write(result: result, to: url, options: options)
        try await book.close(id, status: .completed, outcome: "package sha256:\(summary.sha256)",
                       detail: "\(request.kind.rawValue) package written\(byOfficer): \(summary.records) records, \(summary.files) files, " +
                           "\(summary.size) bytes, sha256 \(summary.sha256)")
        return summary
    }

    /// Runs the erasure (or consent withdrawal) of request `id`, puts the erased identifiers'
    /// HMACs on the suppression list and closes it (`incomplete` when verification still finds data).
    /// Holds the ledger's erasure lock throughout, and is refused before anything is recorded while
    /// another erasure runs or an interrupted one is unfinished (as ``Erasure`` is). On a ledger
    /// shared by workers, it holds the request instead (a second run of it in any process is
    /// refused). Resume first: when the request's own run was interrupted (a process stopped
    /// mid-erasure), that run is finished, verified and certified before the request is closed;
    /// only another request's interrupted run refuses it.
    public func erase(_ id: String, override: Override = .none) async throws -> ErasureOutcome {
        var erasure = Erasure(catalog: catalog, stores: stores, ledger: try book.journal, now: book.now, logger: logger)
        erasure.onStep = onStep
        let running = erasure
        let own = Set(try await book.ledger.erasureRuns(of: id).map(\.id))
        return try await book.ledger.exclusively(request: id) {
            try await running.exclusively(refusingInterrupted: true, except: own) {
                try await erase(id, override: override, erasure: running)
            }
        }
    }

    private func erase(_ id: String, override: Override, erasure: Erasure) async throws -> ErasureOutcome {
        let request = try await admitted(id, kinds: [.erasure, .consentWithdrawal], override: override)
        let subject = try await book.subject(of: id)
        let basis: LawfulBasis? = request.kind == .consentWithdrawal ? .consent : nil
        let scope = try await book.scope(of: id)
        let runs = try await book.ledger.erasureRuns(of: id)
        let outcome: ErasureOutcome
        let runID: String
        if let unfinished = try await unfinishedRun(of: runs, in: erasure.ledger) {
            runID = unfinished.plan.requestID
            outcome = try await erasure.resume(unfinished, signer: try erasure.ledger.signingKey())
        } else {
            // `R-2026-0001` for the first run, `R-2026-0001.2` after an incomplete one.
            runID = runs.isEmpty ? id : "\(id).\(runs.count + 1)"
            let plan = try await erasure.planner().plan(for: subject, onlyBasis: basis, scope: scope, requestID: runID)
            outcome = try await erasure.execute(planned: plan)
        }
        let hmacs = Set((outcome.plan.identifiers + outcome.plan.requested).map(book.hmacKey.hmac))
        // A scoped erasure (one recording) is replayed with its scope after a restore, and never
        // makes the person "fully erased" on the suppression list.
        let suppression = scope == nil ? (basis == nil ? "full" : "consent") : "selected" + (basis == nil ? "" : "+consent")
        try await book.close(id, status: outcome.isComplete ? .completed : .incomplete, outcome: "certificate of run \(runID)",
                             runID: runID, detail: "erasure run \(runID)\(byOfficer) \(outcome.isComplete ? "verified complete" : "incomplete"); " +
                                 "\(hmacs.count) identifier HMACs on the suppression list",
                             suppress: hmacs, scope: suppression)
        return outcome
    }

    /// The request's run a process left unfinished (its certificate not yet written), if any.
    private func unfinishedRun(of runs: [RequestRunRecord], in journal: any ErasureLedger) async throws -> JournalRun? {
        for run in runs where run.certificate == nil {
            if let journal = try await journal.unfinishedRun(RunID(run.id)) { return journal }
        }
        return nil
    }

    /// The request, once it is of one of `kinds`, still pending, and verified or forced.
    func admitted(_ id: String, kinds: Set<RequestKind>, override: Override) async throws -> DataRequest {
        let request = try await book.request(id)
        guard kinds.contains(request.kind) else {
            throw DSARError(.invalidRequest, "request \(id) is a \(request.kind.rawValue) request")
        }
        guard request.status.isPending else {
            throw DSARError(.invalidRequest, "request \(id) is \(request.status.rawValue); it cannot run again")
        }
        if !request.isVerified {
            guard case .force(let reason) = override else {
                throw DSARError(.invalidRequest, "the identity of the person behind request \(id) is not verified (Art. 12(6)); " +
                                "record it with `dsar request verify \(id) --method …`, or force the run with a reason")
            }
            try await book.recordForced(id, reason: reason + byOfficer)
        }
        return request
    }
}
