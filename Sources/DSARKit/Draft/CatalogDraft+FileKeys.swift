extension CatalogDraft {
    /// The collections a folder store's files add, after the folders that columns link
    /// (`covered`): file names holding phone numbers, then files with a sidecar naming their
    /// caller, then file names holding the keys of a table. Each file is in one collection at most.
    static func fileCollections(_ folder: DraftFolder, covered: Set<String>, schemas: [DraftSchema], regions: [String],
                                taken: Set<String>, sampleSize: Int) async throws -> [Collection] {
        var names = taken
        let outside = DraftFolder(store: folder.store, source: folder.source, paths: folder.paths(outside: covered, regions: regions))
        var collections = patternCollections(outside, covered: [], regions: regions, taken: names)
        names.formUnion(collections.map(\.name))
        var rest = DraftFolder(store: folder.store, source: folder.source, paths: outside.paths.filter { path in
            !collections.contains { $0.matches(path) }
        })
        let sidecars = try await sidecarCollections(rest, regions: regions, taken: names, sampleSize: sampleSize)
        collections += sidecars
        names.formUnion(sidecars.map(\.name))
        rest = DraftFolder(store: rest.store, source: rest.source, paths: rest.paths.filter { path in !sidecars.contains { $0.matches(path) } })
        let targets = schemas.flatMap { schema in
            schema.tables.filter { $0.primaryKey.count == 1 }.compactMap { table in
                schema.names[table.name].map { FileKeyMatch.Target(source: schema.source, table: table.name, key: table.primaryKey[0], collection: $0) }
            }
        }
        collections += try await keyPatternCollections(rest, targets: targets, regions: regions, taken: names, sampleSize: sampleSize)
        return collections
    }

    /// Pattern collections for files whose names carry the key of a table, grouped by shape:
    /// `calls/{call_id}.wav` with `references: { call_id: calls.id }`, marked as a guess, when at
    /// least 90% of the numbers sampled there are keys of `calls.id`. When the numbers are keys of
    /// several tables, the one the path names (`calls/`, `customer-`) is taken; if none or several
    /// are named, the shape is written with a review note and no reference. A shape whose files
    /// carry one key only keeps no literal text in their names (it could be its person's name).
    static func keyPatternCollections(_ folder: DraftFolder, targets: [FileKeyMatch.Target], regions: [String], taken: Set<String>,
                                      sampleSize: Int) async throws -> [Collection] {
        guard !targets.isEmpty else { return [] }
        let phone = IdentifierType(name: "phone", kind: .phone, regions: regions)
        var groups: [String: [String]] = [:]
        for path in folder.paths { groups[FileNameShape(path: path, phone: phone).pattern, default: []].append(path) }
        var kept: [(FilePattern, [String], [FileKeyMatch])] = []
        var redacted: [String: [String]] = [:]
        for (text, paths) in groups.sorted(by: { $0.key < $1.key }) {
            guard let pattern = try? FilePattern(text), pattern.placeholders.contains(where: { $0.hasPrefix("n") || $0.hasPrefix("folder") }) else { continue }
            let matches = try await FileKeyMatch.matches(pattern, paths: paths, targets: targets, limit: sampleSize)
            if (FileKeyMatch.link(matches)?.distinct ?? matches.map(\.distinct).max() ?? 0) >= 2 {
                kept.append((pattern, paths, matches))
            } else if !matches.isEmpty {
                for path in paths { redacted[FileNameShape(path: path, phone: phone, redacting: true).pattern, default: []].append(path) }
            }
        }
        for (text, paths) in redacted.sorted(by: { $0.key < $1.key }) {
            guard let pattern = try? FilePattern(text) else { continue }
            let matches = try await FileKeyMatch.matches(pattern, paths: paths, targets: targets, limit: sampleSize)
            if !matches.isEmpty { kept.append((pattern, paths, matches)) }
        }
        var names = taken
        return kept.map { pattern, paths, matches in
            keyPatternCollection(pattern, files: paths.count, matches: matches, store: folder.store, names: &names)
        }
    }

    private static func keyPatternCollection(_ pattern: FilePattern, files: Int, matches: [FileKeyMatch], store: String,
                                             names: inout Set<String>) -> Collection {
        var text = pattern.text
        var references: [Reference] = []
        var notes: [String] = []
        if let link = FileKeyMatch.link(matches) {
            var placeholder = singular(link.table) + "_id"
            while pattern.placeholders.contains(placeholder) { placeholder += "_" }
            text = text.replacingOccurrences(of: "{\(link.placeholder)}", with: "{\(placeholder)}")
            let named = link.named ? "; the path names \(link.table)" : ""
            references.append(Reference(column: placeholder, targetCollection: link.collection, targetColumn: link.key,
                                        evidence: "guess: \(link.evidence)\(named)", isGuess: true))
        } else {
            let places = Set(matches.map { "{\($0.placeholder)} → \($0.table).\($0.key) (store \($0.store))" }).sorted()
            notes.append("the numbers in these file names are keys of several tables: \(places.joined(separator: ", ")); "
                         + "name the placeholder and write its reference by hand")
        }
        return Collection(name: patternCollectionName(store: store, pattern: text, taken: &names), store: store, table: "", key: [],
                          identifiers: [], references: references, notes: notes, pattern: text)
    }
}

extension CatalogDraft.Collection {
    /// Whether a pattern collection's files include `path`, or its sidecar is the file at `path`.
    func matches(_ path: String) -> Bool {
        guard let text = pattern, let pattern = try? FilePattern(text) else { return false }
        if pattern.match(path) != nil { return true }
        guard let sidecar, let file = try? FileSidecar(file: sidecar.file, fields: sidecar.fields),
              let beside = file.pattern(beside: pattern) else { return false }
        return beside.match(path) != nil
    }
}
