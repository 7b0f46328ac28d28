import DSARKit
import Foundation
import Hummingbird

extension Console {
    /// What discovery finds for the request, before anything is packaged or erased: records per
    /// collection with the chain that found each, conflicts and ambiguous records. Records are
    /// named by collection and key (a digest for personal keys), identifiers by their type only.
    func previewPage(_ visit: Visit, id: String) async throws -> Response {
        let text = visit.text
        let e = HTML.escape
        _ = try await book.request(id)
        let subject = try await book.subject(of: id)
        let result = try await Discovery(catalog: catalog, stores: try configuration.openStores(false), logger: logger)
            .discover(subject, keeping: .linkColumns)
        logger.info("console: preview", metadata: ["request": "\(id)", "officer": "\(visit.officer)", "records": "\(result.records.count)"])
        var body = "<p>\(e(text["previewIntro"]))</p>"
        let collections = catalog.collections.map(\.name).filter { !result.records(in: $0).isEmpty }
        for collection in collections {
            let records = result.records(in: collection)
            body += "<h2>\(e(collection)) <small>(\(records.count) \(e(text["records"])))</small></h2>" +
                "<table class=\"records\" data-collection=\"\(e(collection))\"><thead><tr><th>\(e(text["record"]))</th><th>\(e(text["chain"]))</th></tr></thead><tbody>"
            for record in records {
                body += "<tr><td class=\"record\">\(e(record.id.safeName(in: catalog)))\(record.role == .referenced ? " (referenced)" : "")</td>" +
                    "<td>\(e(chain(record.provenance)))</td></tr>"
            }
            body += "</tbody></table>"
        }
        if !result.files.isEmpty { body += "<p id=\"files\">\(result.files.count) \(e(text["files"]))</p>" }
        body += excluded(text["conflicts"], id: "conflicts", result.conflicts)
        body += excluded(text["ambiguous"], id: "ambiguous", result.ambiguous)
        body += "<p><a href=\"/console/requests/\(e(id))/run\" id=\"run\">\(e(text["run"]))</a> · " +
            "<a href=\"/console/requests/\(e(id))\">\(e(text["back"]))</a></p>"
        return ConsolePage.html(title: "\(text["preview"]) \(id)", text: text, visit: visit, body: body)
    }

    /// The chain from a named identifier to the record, without any value.
    func chain(_ steps: [ProvenanceStep]) -> String {
        steps.map { step in
            let record = step.record.map { $0.safeName(in: catalog) } ?? ""
            let type = step.identifier?.type ?? ""
            switch step.kind {
            case .seed: return "request names a \(type)"
            case .revealed: return "\(record).\(step.column ?? "") gives a \(type)"
            case .match: return "\(record) has the \(type) in \(step.column ?? "")"
            case .child: return "\(record) references it through \(step.column ?? "")"
            case .parent: return "it references \(record) through \(step.column ?? "")"
            }
        }.joined(separator: " → ")
    }

    private func excluded(_ title: String, id: String, _ records: [ExcludedRecord]) -> String {
        guard !records.isEmpty else { return "" }
        return "<h2>\(HTML.escape(title))</h2><ul id=\"\(id)\">" + records.map {
            "<li>\(HTML.escape($0.id.safeName(in: catalog)))\($0.identifier.map { " (\(HTML.escape($0.type)))" } ?? ""): \(HTML.escape($0.reason))</li>"
        }.joined() + "</ul>"
    }
}
