import Yams

extension CatalogYAMLReader {
    /// `coverage: { ignore: [ { column: table.column, reason: "…" }, { folder: store/folder, reason: "…" } ] }`.
    mutating func readCoverage(_ node: Node, stores: [StoreDeclaration]) -> [CoverageIgnore] {
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
                error(entry, "each 'coverage.ignore' entry must give column (or folder) and reason", fix: example)
                continue
            }
            allowOnly(["column", "folder", "reason"], in: fields, what: "a 'coverage.ignore' entry")
            let named = fields["column"]?.string ?? fields["folder"]?.string ?? ""
            guard let reason = fields["reason"]?.string, !reason.trimmingWhitespace().isEmpty else {
                error(entry, "the ignored \(fields["folder"] == nil ? "column" : "folder") '\(named)' gives no reason",
                      fix: "add reason: \"why it holds no one's personal data, or is handled elsewhere\"")
                continue
            }
            if fields["folder"] != nil {
                if let ignore = readIgnoredFolder(fields, reason: reason, stores: stores) { ignores.append(ignore) }
                continue
            }
            let parts = named.split(separator: ".", maxSplits: 1).map(String.init)
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                error(fields["column"] ?? entry, "'column' of a 'coverage.ignore' entry must be table.column", fix: example)
                continue
            }
            ignores.append(CoverageIgnore(table: parts[0], column: parts[1], reason: reason))
        }
        return ignores
    }

    /// `{ folder: spool/greetings, reason: "…" }`: a files store, then a folder below its root (none: the whole store).
    private mutating func readIgnoredFolder(_ fields: Node.Mapping, reason: String, stores: [StoreDeclaration]) -> CoverageIgnore? {
        let example = "{ folder: spool/greetings, reason: \"the agents' own recordings\" }"
        guard fields["column"] == nil else {
            error(fields["folder"], "a 'coverage.ignore' entry gives a column or a folder, not both", fix: example)
            return nil
        }
        let text = fields["folder"]?.string ?? ""
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        let store = parts[0]
        let folder = parts.count > 1 ? String(parts[1].reversed().drop { $0 == "/" }.reversed()) : ""
        guard let declared = stores.first(where: { $0.name == store }), ["files", "s3"].contains(declared.type) else {
            error(fields["folder"], "'folder' of a 'coverage.ignore' entry must start with a files store: '\(store)' is not one",
                  fix: example)
            return nil
        }
        guard !folder.hasPrefix("/"), !folder.split(separator: "/").contains(where: { $0 == ".." || $0 == "." }) else {
            error(fields["folder"], "'folder' of a 'coverage.ignore' entry must be a folder below the store's root", fix: example)
            return nil
        }
        return CoverageIgnore(store: store, folder: folder, reason: reason)
    }
}
