/// A placeholder of a shape of file names whose numbers are keys of a table: the `{n1}` of
/// `calls/{n1}.wav` when (nearly) every number sampled there is a `calls.id`. Only counts are
/// kept; the numbers are compared, then dropped.
struct FileKeyMatch: Sendable, Hashable {
    /// A table whose single-column key file names may carry, and the collection that reads it.
    struct Target: Sendable {
        let source: any SchemaSource
        let table: String
        let key: String
        let collection: String
    }

    /// The placeholder holding the numbers (`n1`, `folder1`).
    var placeholder: String
    var collection: String
    var table: String
    var key: String
    var store: String
    /// How many files were sampled, how many distinct numbers they hold there, how many files' numbers were found.
    var sampled: Int
    var distinct: Int
    var found: Int
    /// Whether the literal text of the path names the table (`calls/…`, `customer-…`).
    var named: Bool

    /// `5 of 5 sampled file names hold a key of calls.id (of store crm)`.
    var evidence: String {
        "\(ColumnEvidence.grouped(found)) of \(ColumnEvidence.grouped(sampled)) sampled file name\(sampled == 1 ? "" : "s") "
            + "hold\(sampled == 1 ? "s" : "") a key of \(table).\(key) (store \(store))"
    }

    /// For each placeholder of `pattern` that holds numbers written as keys are (`42`, never `0042`),
    /// the targets whose key holds at least 90% of the numbers of up to `limit` of `paths`.
    static func matches(_ pattern: FilePattern, paths: [String], targets: [Target], limit: Int) async throws -> [FileKeyMatch] {
        let captures = paths.prefix(limit).compactMap { pattern.match($0) }
        guard !captures.isEmpty else { return [] }
        let words = Set(pattern.text.split { !($0.isLetter || $0.isNumber) }.map { $0.lowercased() })
        var matches: [FileKeyMatch] = []
        for placeholder in pattern.placeholders where placeholder.hasPrefix("n") || placeholder.hasPrefix("folder") {
            let values = captures.compactMap { $0[placeholder] }
            guard values.count == captures.count, values.allSatisfy(isKeyNumber) else { continue }
            for target in targets {
                let found = try await target.source.valuesFound(values, table: target.table, column: target.key)
                guard found > 0, found * 10 >= values.count * 9 else { continue }
                let named = words.contains(target.table.lowercased()) || words.contains(CatalogDraft.singular(target.table))
                matches.append(FileKeyMatch(placeholder: placeholder, collection: target.collection, table: target.table, key: target.key,
                                            store: target.source.name, sampled: values.count, distinct: Set(values).count, found: found,
                                            named: named))
            }
        }
        return matches
    }

    /// `42`, `0`: digits with no leading zero (`0042` is a counter, not a key as a database prints it).
    static func isKeyNumber(_ text: String) -> Bool {
        !text.isEmpty && text.count <= 18 && text.allSatisfy { $0.isASCII && $0.isNumber } && (text == "0" || !text.hasPrefix("0"))
    }

    /// The match a draft links: among those whose path names their table (else all), the one
    /// table they agree on, by the placeholder with the most distinct numbers; `nil` when the
    /// numbers are keys of several tables and the path names none of them, or several.
    static func link(_ matches: [FileKeyMatch]) -> FileKeyMatch? {
        let named = matches.filter(\.named)
        let chosen = named.isEmpty ? matches : named
        guard Set(chosen.map { "\($0.store)/\($0.table)" }).count == 1 else { return nil }
        return chosen.max { $0.distinct != $1.distinct ? $0.distinct < $1.distinct : $0.placeholder > $1.placeholder }
    }
}
