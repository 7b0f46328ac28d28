extension CatalogDraft {
    /// Rails-style polymorphic pairs (`sender_type`/`sender_id`, `record_type`/`record_id`): when
    /// the type column's sampled values name tables of the store (class names such as `Contact`,
    /// `ActiveStorage::Blob`, or table names), one guessed reference per named table, applying
    /// where the type column holds that value, kept when at least 90% of the sampled ids of those
    /// rows exist in the table's key. Only counts are kept; the values written are table names.
    static func polymorphicReferences(_ table: SchemaTable, in tables: [SchemaTable], names: [String: String], skipping: Set<String>,
                                      source: any SchemaSource, sampleSize: Int) async throws -> (references: [Reference], notes: [String]) {
        var references: [Reference] = []
        var notes: [String] = []
        for typeColumn in table.columns where typeColumn.name.lowercased().hasSuffix("_type") && typeColumn.name.count > 5 {
            let base = typeColumn.name.dropLast(5).lowercased()
            guard let idColumn = table.columns.first(where: { $0.name.lowercased() == base + "_id" })?.name,
                  !skipping.contains(idColumn) else { continue }
            var counts: [String: Int] = [:]
            for case let value? in try await source.sampleValues(table: table.name, column: typeColumn.name, limit: sampleSize) {
                counts[value, default: 0] += 1
            }
            var unnamed = 0
            var found: [Reference] = []
            for (value, _) in counts.sorted(by: { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }) {
                guard let parent = Self.table(namedBy: value, in: tables), parent.primaryKey.count == 1,
                      let target = names[parent.name] else {
                    unnamed += 1
                    continue
                }
                let key = parent.primaryKey[0]
                let (sampled, matched) = try await source.sampledValuesFound(
                    table: table.name, column: idColumn, where: (typeColumn.name, value), parent: parent.name, parentColumn: key, limit: sampleSize)
                guard sampled > 0, matched * 10 >= sampled * 9 else {
                    unnamed += 1
                    continue
                }
                let share = matched == sampled ? "all \(ColumnEvidence.grouped(sampled))" : "\(ColumnEvidence.grouped(matched)) of \(ColumnEvidence.grouped(sampled))"
                found.append(Reference(column: idColumn, targetCollection: target, targetColumn: key,
                                       evidence: "guess: polymorphic; \(share) sampled value\(sampled == 1 ? "" : "s") of these rows found in \(parent.name).\(key)",
                                       isGuess: true, when: .init(column: typeColumn.name, value: value)))
            }
            guard !found.isEmpty else { continue }
            references += found
            if unnamed > 0 {
                notes.append("\(unnamed) other sampled value\(unnamed == 1 ? "" : "s") of \(typeColumn.name) \(unnamed == 1 ? "names" : "name") no table of this store "
                             + "(or their ids were not found): add their targets to \(idColumn) by hand")
            }
        }
        return (references, notes)
    }

    /// The table a polymorphic type value names: `Contact` → `contacts`, `ActiveStorage::Blob` →
    /// `active_storage_blobs`, `Channel::WebWidget` → `channel_web_widgets`, or a table's own name.
    static func table(namedBy value: String, in tables: [SchemaTable]) -> SchemaTable? {
        guard !value.isEmpty, value.count <= 120,
              value.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == ":" || $0 == "/" || $0 == ".") }) else { return nil }
        var snake = ""
        let characters = Array(value.replacingOccurrences(of: "::", with: "_").replacingOccurrences(of: "/", with: "_"))
        for (index, character) in characters.enumerated() {
            if character.isUppercase, index > 0, characters[index - 1] != "_" {
                let previous = characters[index - 1]
                let nextIsLower = index + 1 < characters.count && characters[index + 1].isLowercase
                if previous.isLowercase || previous.isNumber || (previous.isUppercase && nextIsLower) { snake += "_" }
            }
            snake += character.lowercased()
        }
        var candidates = [value.lowercased(), snake, snake + "s", snake + "es"]
        if snake.hasSuffix("y") { candidates.append(String(snake.dropLast()) + "ies") }
        return candidates.lazy.compactMap { name in tables.first { $0.name.lowercased() == name } }.first
    }
}
