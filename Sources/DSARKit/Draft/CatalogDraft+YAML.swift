extension CatalogDraft {
    /// The draft as catalog YAML, evidence in comments. It reads back with ``Catalog/parse(yaml:sourceName:baseDirectory:)``;
    /// every `TODO` is reported by `dsar check` until the officer writes it.
    public var yaml: String {
        var lines = [
            "# Drafted by `dsar catalog draft` from the live schema: \(sampleSize) values sampled per column, counted, never kept.",
            "# Review every identifier and reference (\"# guess\" ones above all), then write every TODO:",
            "# `dsar check` fails until they are written.",
            "version: 1",
            "controller: { name: TODO, contact: TODO }",
            "identifiers:",
        ]
        for type in identifierTypes {
            switch type {
            case "email": lines.append("  email: { type: email }")
            case "phone":
                let regions = regions.isEmpty ? "" : ", regions: [\(regions.map(Self.scalar).joined(separator: ", "))]"
                lines.append("  phone: { type: phone\(regions), shared: true }  # shared: a household's number never proves whose a record is")
            default: lines.append("  \(Self.scalar(type)): { type: opaque }")
            }
        }
        if identifierTypes.isEmpty { lines[lines.count - 1] = "identifiers: {}  # no column's sampled values looked like identifiers" }
        lines.append("stores:")
        for store in stores {
            // A bucket is declared by its settings alone (endpoint, bucket, prefix, …); its location is for reading.
            let place = store.type == "s3" ? "" : ", \(store.type == "sqlite" ? "path" : store.type == "files" ? "root" : "url"): \(Self.quoted(store.location))"
            let settings = store.settings.sorted { $0.key < $1.key }.map { ", \(Self.scalar($0.key)): \(Self.quoted($0.value))" }.joined()
            lines.append("  \(Self.scalar(store.name)): { type: \(Self.scalar(store.type))\(place)\(settings) }")
        }
        lines.append("collections:")
        for collection in collections { lines += yaml(collection) }
        return lines.joined(separator: "\n") + "\n"
    }

    private func yaml(_ collection: Collection) -> [String] {
        var lines = ["  \(Self.scalar(collection.name)):",
                     "    store: \(Self.scalar(collection.store))",
                     collection.pattern.map { "    pattern: \(Self.quoted($0))" } ?? "    table: \(Self.scalar(collection.table))"]
        if let sidecar = collection.sidecar {
            lines.append("    sidecar: { file: \(Self.quoted(sidecar.file)), fields: [\(sidecar.fields.map(Self.scalar).joined(separator: ", "))] }")
        }
        switch collection.key.count {
        case 0 where collection.pattern != nil: break
        case 0: lines.append("    # no primary key: rows are named by all their columns, and erasure must retain them")
        case 1: lines.append("    key: \(Self.scalar(collection.key[0]))")
        default: lines.append("    key: [\(collection.key.map(Self.scalar).joined(separator: ", "))]")
        }
        if !collection.identifiers.isEmpty {
            lines.append("    identifiers:")
            for identifier in collection.identifiers {
                let type = identifier.extract.map { "{ type: \(Self.scalar(identifier.type)), extract: \(Self.quoted($0)) }" } ?? Self.scalar(identifier.type)
                lines.append("      \(Self.scalar(identifier.column)): \(type)  # \(identifier.evidence)")
            }
        }
        if !collection.references.isEmpty {
            lines.append("    references:")
            var written: Set<String> = []
            for reference in collection.references where !written.contains(reference.column) {
                guard reference.when != nil else {
                    lines.append("      \(Self.scalar(reference.column)): \(Self.scalar(reference.targetCollection + "." + reference.targetColumn))  # \(reference.evidence)")
                    continue
                }
                written.insert(reference.column)
                lines.append("      \(Self.scalar(reference.column)):")
                for target in collection.references where target.column == reference.column {
                    guard let when = target.when else { continue }
                    lines.append("        - { to: \(Self.scalar(target.targetCollection + "." + target.targetColumn)), "
                                 + "when: { \(Self.scalar(when.column)): \(Self.scalar(when.value)) } }  # \(target.evidence)")
                }
            }
        }
        if let files = collection.files {
            let place = files.path.map { "path: \(Self.quoted($0))" } ?? "column: \(Self.scalar(files.column ?? ""))"
            lines.append("    files: { store: \(Self.scalar(files.store)), \(place) }  # \(files.evidence)")
        }
        lines += collection.notes.map { "    # review: \($0)" }
        lines += [
            "    purpose: TODO",
            "    lawfulBasis: TODO  # one of consent, contract, legitimate_interest, legal_obligation, vital_interest, public_task",
            "    retention: TODO",
            "    erase: retain  # TODO: delete, retain or mask: { column: null | redact | hash }",
            "    retainReason: TODO",
        ]
        return lines
    }

    /// A plain YAML scalar when it is a safe name, else double-quoted.
    static func scalar(_ text: String) -> String {
        let plain = !text.isEmpty && text.first.map { $0.isLetter || $0 == "_" } == true
            && text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "." || $0 == "-") }
            && !["true", "false", "null", "yes", "no", "on", "off", "y", "n", "~"].contains(text.lowercased())
        return plain ? text : quoted(text)
    }

    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    out += "\\x" + (scalar.value < 16 ? "0" : "") + String(scalar.value, radix: 16)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
