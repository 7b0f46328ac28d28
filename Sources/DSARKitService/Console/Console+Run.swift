import DSARKit
import Foundation
import Hummingbird

extension Console {
    /// Before running: an access request offers to write its package; an erasure request shows
    /// its plan (nothing changed) and asks the officer to approve it. Once run, the run's
    /// progress (the page refreshes itself, no script), then its result; a failed or interrupted
    /// run is said so above the form that runs it again.
    func runPage(_ visit: Visit, id: String) async throws -> Response {
        let text = visit.text
        let e = HTML.escape
        let request = try await book.request(id)
        var body = ""
        if let job = try await runs.job(of: id) {
            switch job.state {
            case .queued, .running:
                return progressPage(visit, job)
            case .finished:
                if let outcome = await runs.outcome(of: id) { return try await resultPage(visit, id: id, outcome) }
            case .failed:
                body += "<p class=\"error\" id=\"run-failed\">\(e(text["runFailed"])) \(e(job.failure ?? ""))</p>"
            case .interrupted:
                body += "<p class=\"warn\" id=\"run-interrupted\">\(e(text["runInterrupted"]))</p>"
            }
        }
        if !request.isVerified { body += "<p class=\"warn\">\(e(text["notVerified"]))</p>" }
        let action = "<form method=\"post\" action=\"/console/requests/\(e(id))/run\">\(ConsolePage.csrf(visit))"
        if request.kind.erases {
            guard let journal = book.ledger as? any ErasureLedger else {
                throw DSARError(.unsupported, "this request ledger keeps no erasure journal; erasure requests cannot run with it")
            }
            let subject = try await book.subject(of: id)
            let plan = try await Erasure(catalog: catalog, stores: try configuration.openStores(false), ledger: journal, now: book.now, logger: logger)
                .plan(for: subject, onlyBasis: request.kind == .consentWithdrawal ? .consent : nil)
            body += planHTML(text, plan) + "<p>\(e(text["nothingChanged"]))</p>" + action +
                "<button type=\"submit\" id=\"approve\">\(e(text["approve"]))</button></form>"
            return ConsolePage.html(title: "\(text["plan"]) \(id)", text: text, visit: visit, body: body)
        }
        body += action + "<button type=\"submit\" id=\"make-package\">\(e(text["makePackage"]))</button></form>"
        return ConsolePage.html(title: "\(text["run"]) \(id)", text: text, visit: visit, body: body)
    }

    func planHTML(_ text: ConsoleText, _ plan: ErasurePlan) -> String {
        let e = HTML.escape
        var html = "<table id=\"plan\"><thead><tr><th></th><th>\(e(text["delete"]))</th><th>\(e(text["mask"]))</th>" +
            "<th>\(e(text["hold"]))</th><th>\(e(text["keep"]))</th><th>\(e(text["files"]))</th></tr></thead><tbody>"
        for collection in plan.collections where !collection.isEmpty {
            let kept = collection.retained.count + collection.shared.count + collection.kept.count + collection.blocked.count
            html += "<tr data-collection=\"\(e(collection.collection))\"><th>\(e(collection.collection))</th><td>\(collection.deleted.count)</td>" +
                "<td>\(collection.masked.count)</td><td>\(collection.held.count)</td><td>\(kept)</td><td>\(collection.files.count)</td></tr>"
        }
        html += "</tbody></table>"
        if !plan.conflicts.isEmpty || !plan.ambiguous.isEmpty {
            html += "<p class=\"warn\">\(e(text["conflicts"])): \(plan.conflicts.count); \(e(text["ambiguous"])): \(plan.ambiguous.count)</p>"
        }
        return html
    }

    /// Queues the run (``RunQueue``) and answers at once with its progress page. What the
    /// library would refuse at once (an unverified or closed request, a run under way) is
    /// refused here, before anything is queued.
    func run(_ visit: Visit, id: String) async throws -> Response {
        let request = try await book.request(id)
        guard request.status.isPending else {
            throw DSARError(.invalidRequest, "request \(id) is \(request.status.rawValue); it cannot run again")
        }
        guard request.isVerified else {
            throw DSARError(.invalidRequest, "the identity of the person behind request \(id) is not verified (Art. 12(6)); " +
                            "record the identity check on the request's page first")
        }
        let officer = visit.officer
        let language = visit.text.language.package
        let erases = request.kind.erases
        try await runs.submit(id, kind: erases ? .erasure : .package, officer: officer, at: book.now()) { progress in
            erases ? try await self.erase(id, officer: officer, progress: progress)
                : try await self.package(id, officer: officer, language: language, progress: progress)
        }
        logger.info("console: run queued", metadata: ["request": "\(id)", "officer": "\(officer)", "kind": "\(request.kind.rawValue)"])
        return ConsolePage.redirect("/console/requests/\(id)/run")
    }
}
