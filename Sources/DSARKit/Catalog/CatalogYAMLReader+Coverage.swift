import Yams

extension CatalogYAMLReader {
    /// `coverage: { ignore: [ { column: table.column, reason: "…" } ] }`.
    mutating func readCoverage(_ node: Node) -> [CoverageIgnore] {
        let example = "coverage: { ignore: [ { column: audit_log.actor_email, reason: \"staff addresses, not data subjects\" } ] }"
        guard let mapping = node.mapping else {
            error(node, "'coverage' must be a mapping", fix: example)
            return []
        }
        allowOnly(["ignore"], in: mapping, what: "'coverage'")
        guard let list = mapping["ignore"] else { return [] }
        guard let entries = list.sequence else {
            error(list, "'coverage.ignore' must be a list", fix: example)
            return []
        }
        var ignores: [CoverageIgnore] = []
        for entry in entries {
            guard let fields = entry.mapping else {
                error(entry, "each 'coverage.ignore' entry must give column and reason", fix: example)
                continue
            }
            allowOnly(["column", "reason"], in: fields, what: "a 'coverage.ignore' entry")
            let column = fields["column"]?.string ?? ""
            let parts = column.split(separator: ".", maxSplits: 1).map(String.init)
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                error(fields["column"] ?? entry, "'column' of a 'coverage.ignore' entry must be table.column", fix: example)
                continue
            }
            guard let reason = fields["reason"]?.string, !reason.trimmingWhitespace().isEmpty else {
                error(entry, "the ignored column '\(column)' gives no reason", fix: "add reason: \"why it holds no one's personal data, or is handled elsewhere\"")
                continue
            }
            ignores.append(CoverageIgnore(table: parts[0], column: parts[1], reason: reason))
        }
        return ignores
    }
}
