import DSARKit

/// The human-readable report of `dsar discover`.
struct DiscoverySummary {
    let result: DiscoveryResult
    let catalog: Catalog

    var text: String {
        var lines: [String] = []
        lines.append("Subject: " + result.subject.identifiers.map(\.description).joined(separator: ", "))
        let revealed = result.identifiers.filter { !result.subject.identifiers.contains($0.identifier) }
        if !revealed.isEmpty {
            lines.append("Also known as: " + revealed.map(\.identifier.description).joined(separator: ", "))
        }
        let collections = Set(result.records.map(\.id.collection))
        lines.append("Found \(plural(result.records.count, "record")) in \(plural(collections.count, "collection")) " +
                     "and \(plural(result.files.count, "file")).")
        for collection in catalog.collections {
            let records = result.records(in: collection.name)
            guard !records.isEmpty else { continue }
            let files = result.files.filter { $0.collection == collection.name }
            let fileNote = files.isEmpty ? "" : ", \(plural(files.count, "file"))"
            lines.append("")
            lines.append("\(collection.name) (\(collection.store)) — \(plural(records.count, "record"))\(fileNote)")
            for record in records {
                let why = Self.why(record.provenance).map { "  ← \($0)" } ?? ""
                let role = record.role == .referenced ? " [referenced]" : ""
                lines.append("  \(record.id.key)\(role)\(why)")
                for file in files where file.record == record.id.key {
                    lines.append("    file \(file.store)/\(file.path) (\(file.size) bytes)")
                }
            }
        }
        if result.records.isEmpty, !result.conflicts.isEmpty || !result.ambiguous.isEmpty {
            lines.append("")
            lines.append("Nothing is included: what these identifiers reach belongs to several people. " +
                         "Add an identifier only this person has (an email, a customer id).")
        }
        section(&lines, "Not included — another person's data", result.conflicts)
        section(&lines, "Not included — ambiguous, please review", result.ambiguous)
        if !result.problems.isEmpty {
            lines.append("")
            lines.append("Problems (\(result.problems.count)):")
            for problem in result.problems { lines.append("  \(problem.record): \(problem.message)") }
        }
        return lines.joined(separator: "\n")
    }

    private func section(_ lines: inout [String], _ title: String, _ items: [ExcludedRecord]) {
        guard !items.isEmpty else { return }
        lines.append("")
        lines.append("\(title) (\(items.count)):")
        for item in items {
            let through = item.identifier.flatMap { item.reason.contains($0.description) ? nil : " (reached through \($0))" } ?? ""
            lines.append("  \(item.id): \(item.reason)\(through)")
        }
    }

    /// The last link of a record's chain, in words: what matched, or which record it hangs on.
    static func why(_ chain: [ProvenanceStep]) -> String? {
        guard let last = chain.last else { return nil }
        let previous = chain.dropLast().last?.record
        switch last.kind {
        case .match: return "\(last.column ?? "?") matches \(last.identifier?.description ?? "?")"
        case .child: return "belongs to \(previous?.description ?? "?") through \(last.column ?? "?")"
        case .parent: return "referenced by \(previous?.description ?? "?") through \(last.column ?? "?")"
        case .seed, .revealed: return last.description
        }
    }

    private func plural(_ count: Int, _ noun: String) -> String {
        "\(count) \(noun)\(count == 1 ? "" : "s")"
    }
}
