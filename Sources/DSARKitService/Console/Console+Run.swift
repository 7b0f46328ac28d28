import DSARKit
import Foundation
import Hummingbird

extension Console {
    /// Before running: an access request offers to write its package; an erasure request shows
    /// its plan (nothing changed) and asks the officer to approve it.
    func runPage(_ visit: Visit, id: String) async throws -> Response {
        let text = visit.text
        let e = HTML.escape
        let request = try await book.request(id)
        var body = request.isVerified ? "" : "<p class=\"warn\">\(e(text["notVerified"]))</p>"
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

    /// Runs the request through ``RequestRun``: the package (passphrase shown once, a single-use
    /// link), or the approved erasure with its outcome, certificate and Art. 19 notices.
    func run(_ visit: Visit, id: String) async throws -> Response {
        let request = try await book.request(id)
        let runner = RequestRun(catalog: catalog, stores: try configuration.openStores(request.kind.erases), book: book, logger: logger)
        logger.info("console: run", metadata: ["request": "\(id)", "officer": "\(visit.officer)", "kind": "\(request.kind.rawValue)"])
        if request.kind.erases { return try await erase(visit, id: id, runner: runner) }
        return try await package(visit, id: id, runner: runner)
    }

    private func package(_ visit: Visit, id: String, runner: RequestRun) async throws -> Response {
        let text = visit.text
        let e = HTML.escape
        let folder = configuration.packagesFolder
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let file = folder.appendingPathComponent("\(UUID().uuidString.lowercased()).zip")
        let passphrase = Passphrase.generate()
        let summary: PackageSummary
        do {
            summary = try await runner.access(id, to: file, options: AccessPackageOptions(
                format: .zip, encryption: .passphrase(passphrase), language: text.language.package, requestID: id, generatedAt: book.now()))
        } catch {
            try? FileManager.default.removeItem(at: file)
            throw error
        }
        let token = await downloads.issue(file, name: "\(id).zip", requestID: id)
        let body = """
            <p class="ok" id="package">\(summary.records) \(e(text["records"])), \(summary.files) \(e(text["files"])) · SHA-256 <code>\(e(summary.sha256))</code></p>
            <p>\(e(text["passphrase"]))</p><p class="secret" id="passphrase">\(e(passphrase.value))</p>
            <p><a href="/console/downloads/\(token)" id="download">\(e(text["download"]))</a></p>
            <p><a href="/console/requests/\(e(id))">\(e(text["back"]))</a></p>
            """
        return ConsolePage.html(title: "\(text["packageReady"]) · \(id)", text: text, visit: visit, body: body)
    }

    private func erase(_ visit: Visit, id: String, runner: RequestRun) async throws -> Response {
        let text = visit.text
        let e = HTML.escape
        let outcome = try await runner.erase(id)
        let certificate = outcome.certificate
        let deleted = certificate.collections.map(\.deleted).reduce(0, +)
        let masked = certificate.collections.map(\.masked).reduce(0, +)
        let held = certificate.collections.map(\.held).reduce(0, +)
        logger.info("console: erasure ran", metadata: ["request": "\(id)", "complete": "\(outcome.isComplete)"])
        var body = outcome.isComplete ? "<p class=\"ok\" id=\"outcome\">\(e(text["erasureComplete"]))</p>"
            : "<p class=\"error\" id=\"outcome\">\(e(text["erasureIncomplete"])) (\(outcome.residue.count))</p>"
        body += "<p id=\"counts\">\(deleted) \(e(text["deleted"])), \(masked) \(e(text["masked"])), \(held) \(e(text["held"])), " +
            "\(certificate.filesDeleted) \(e(text["files"]))</p>"
        body += planHTML(text, outcome.plan)
        let notices = ErasureNotice.notices(for: certificate, catalog: catalog)
        if !notices.isEmpty { body += noticesHTML(text, notices) }
        let json = String(decoding: try certificate.json(), as: UTF8.self)
        body += "<h2>\(e(text["certificate"]))</h2><pre id=\"certificate\">\(e(json))</pre>"
        body += "<p><a href=\"/console/requests/\(e(id))\">\(e(text["back"]))</a></p>"
        return ConsolePage.html(title: "\(text["plan"]) \(id)", text: text, visit: visit, body: body)
    }

    /// The package, once: a second use, or a use after the link expired, is 410 Gone.
    func download(_ visit: Visit, token: String) async throws -> Response {
        guard let package = await downloads.take(token) else {
            return ConsolePage.plain(.gone, "This download link was already used or has expired. Run the request's package again if needed.")
        }
        logger.info("console: package downloaded", metadata: ["request": "\(package.requestID)", "officer": "\(visit.officer)"])
        return Response(status: .ok, headers: [.contentType: "application/zip",
                                               .contentDisposition: "attachment; filename=\"\(package.name)\""],
                        body: .init(byteBuffer: ByteBuffer(bytes: package.data)))
    }
}
