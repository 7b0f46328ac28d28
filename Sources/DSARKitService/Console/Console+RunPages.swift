import DSARKit
import Foundation
import Hummingbird

extension Console {
    /// A run under way: its phase and counts, refreshed every second by the page itself.
    func progressPage(_ visit: Visit, _ job: RunJob) -> Response {
        let text = visit.text
        let e = HTML.escape
        let phase = text["phase.\(job.phase)"]
        let counts: String
        switch job.phase {
        case "packaging" where job.total > 0:
            counts = ": \(job.done / 1024) \(text["of"]) \(job.total / 1024) KiB"
        case "erasing" where job.total > 0:
            counts = ": \(text["step"]) \(job.done) \(text["of"]) \(job.total)"
        default:
            counts = ""
        }
        let body = "<p id=\"progress\" data-state=\"\(job.state.rawValue)\">\(e(phase + counts))</p>" +
            "<p>\(e(text["runRefresh"]))</p>"
        return ConsolePage.html(title: "\(text["run"]) \(job.requestID)", text: text, visit: visit, body: body, refresh: 1)
    }

    /// A finished run: the package (its passphrase shown once, to the officer who ran it, and
    /// its single-use link) or the erasure's outcome, certificate and Art. 19 notices.
    func resultPage(_ visit: Visit, id: String, _ outcome: RunOutcome) async throws -> Response {
        let text = visit.text
        let e = HTML.escape
        switch outcome {
        case .package(let summary, let download, _):
            var body = "<p class=\"ok\" id=\"package\">\(summary.records) \(e(text["records"])), \(summary.files) \(e(text["files"])) · " +
                "SHA-256 <code>\(e(summary.sha256))</code></p>"
            if let passphrase = await runs.takePassphrase(of: id, officer: visit.officer) {
                body += "<p>\(e(text["passphrase"]))</p><p class=\"secret\" id=\"passphrase\">\(e(passphrase.value))</p>"
            } else {
                body += "<p id=\"passphrase-shown\">\(e(text["passphraseShown"]))</p>"
            }
            body += "<p><a href=\"/console/downloads/\(download)\" id=\"download\">\(e(text["download"]))</a></p>" +
                "<p><a href=\"/console/requests/\(e(id))\">\(e(text["back"]))</a></p>"
            return ConsolePage.html(title: "\(text["packageReady"]) · \(id)", text: text, visit: visit, body: body)
        case .erasure(let outcome):
            return try erasurePage(visit, id: id, outcome)
        }
    }

    private func erasurePage(_ visit: Visit, id: String, _ outcome: ErasureOutcome) throws -> Response {
        let text = visit.text
        let e = HTML.escape
        let certificate = outcome.certificate
        let deleted = certificate.collections.map(\.deleted).reduce(0, +)
        let masked = certificate.collections.map(\.masked).reduce(0, +)
        let held = certificate.collections.map(\.held).reduce(0, +)
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
