import Yams

extension CatalogYAMLReader {
    /// `files:` of a collection: `{ column, store }`, `{ path: template, store }`,
    /// `{ column, store, strip }` or `{ column, hosts: { host: store }, strip }`.
    mutating func readFiles(_ node: Node, what: String) -> FileLink? {
        let example = "files: { column: path, store: recordings } or files: { path: \"monitor/{calldate:yyyy}/{file}\", store: spool }"
        guard let mapping = node.mapping else {
            error(node, "'files' of \(what) must be a mapping", fix: example)
            return nil
        }
        allowOnly(["column", "store", "path", "strip", "hosts"], in: mapping, what: "'files' of \(what)")
        let column = mapping["column"]?.string
        let store = mapping["store"]?.string
        let strip = mapping["strip"]?.string
        var hosts: [String: String] = [:]
        if let hostsNode = mapping["hosts"] {
            for (key, value) in hostsNode.mapping ?? [:] {
                guard let host = key.string, let name = value.string, !host.isEmpty, !name.isEmpty else {
                    error(key, "'hosts' of \(what) must map host names to store names", fix: "hosts: { 10.0.0.5: pbx1 }")
                    continue
                }
                hosts[host.lowercased()] = name
            }
            if hosts.isEmpty { error(hostsNode, "'hosts' of \(what) must map host names to store names", fix: "hosts: { 10.0.0.5: pbx1 }") }
        }
        if let pathNode = mapping["path"] {
            guard column == nil, hosts.isEmpty, strip == nil else {
                error(node, "'files' of \(what) gives a path template and also a column, hosts or strip", fix: "keep one form")
                return nil
            }
            guard let store else {
                error(node, "'files' of \(what) needs a store", fix: example)
                return nil
            }
            do {
                return FileLink(template: try FilePathTemplate(pathNode.string ?? ""), store: store)
            } catch {
                self.error(pathNode, "bad path in 'files' of \(what): \(error)", fix: "for example monitor/{calldate:yyyy}/{calldate:MM}/{calldate:dd}/{recordingfile}")
                return nil
            }
        }
        guard let column, !column.isEmpty, store != nil || !hosts.isEmpty else {
            error(node, "'files' of \(what) needs a column and a store (or hosts)", fix: example)
            return nil
        }
        if store != nil, !hosts.isEmpty {
            error(node, "'files' of \(what) gives both a store and hosts", fix: "with hosts, each host names its store")
            return nil
        }
        return FileLink(column: column, store: store ?? hosts.values.sorted()[0], strip: strip, hosts: hosts)
    }

    /// `sidecar:` of a pattern collection: `{ file: "msg{message}.txt", fields: [callerid, origtime] }`.
    mutating func readSidecar(_ node: Node, what: String) -> FileSidecar? {
        let example = "sidecar: { file: \"msg{message}.txt\", fields: [callerid, origtime] }"
        guard let mapping = node.mapping else {
            error(node, "'sidecar' of \(what) must be a mapping", fix: example)
            return nil
        }
        allowOnly(["file", "fields"], in: mapping, what: "'sidecar' of \(what)")
        guard let file = mapping["file"]?.string, mapping["file"]?.scalar != nil else {
            error(node, "'sidecar' of \(what) needs 'file', the name of the file beside each matched file", fix: example)
            return nil
        }
        let fieldsNode = mapping["fields"]
        let fields = fieldsNode?.sequence?.compactMap { $0.scalar != nil ? $0.string : nil } ?? (fieldsNode?.string).map { [$0] } ?? []
        guard !fields.isEmpty, !fields.contains(where: \.isEmpty), fields.count == (fieldsNode?.sequence?.count ?? 1) else {
            error(fieldsNode ?? node, "'sidecar' of \(what) needs 'fields': the keys of its key=value lines to read", fix: example)
            return nil
        }
        do {
            return try FileSidecar(file: file, fields: fields)
        } catch {
            self.error(mapping["file"], "bad file in 'sidecar' of \(what): \(error)", fix: example)
            return nil
        }
    }
}
