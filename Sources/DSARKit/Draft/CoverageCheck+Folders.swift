extension CoverageCheck {
    /// The files of `folder` whose names hold phone numbers, email addresses or keys of a
    /// catalogued table, and that no collection covers: neither a pattern collection of the store
    /// matches them (nor is one's sidecar), nor do they sit in a folder a column links (a path
    /// template's fixed folder, or the folders of the sampled paths of a `files` column). Grouped by
    /// shape (`voicemail/{phone}-{date}.wav`, `calls/{call_id}.wav`), named as the draft names
    /// them: never a number, an address or a key. Files in a folder of `coverage.ignore` are left
    /// out and counted in `ignored`.
    func uncoveredFiles(in folder: any ListableFileStore, sources: [any SchemaSource]) async throws -> (files: [CoverageReport.UnmappedFiles], ignored: Int) {
        guard catalog.stores.contains(where: { $0.name == folder.name }) else { return ([], 0) }
        let listed = try await DraftFolder(folder)
        let patterns = catalog.collections.filter { $0.store == folder.name }.compactMap { collection -> [FilePattern]? in
            guard let pattern = collection.pattern else { return nil }
            return [pattern] + (collection.sidecar?.pattern(beside: pattern).map { [$0] } ?? [])
        }.flatMap { $0 }
        let covered = try await linkedFolders(of: listed, sources: sources)
        let uncovered = listed.paths(outside: covered, regions: regions).filter { path in !patterns.contains { $0.match(path) != nil } }
        let ignores = catalog.coverageIgnores.filter { $0.folder != nil }
        let isIgnored = { (path: String) in ignores.contains { $0.covers(store: folder.name, path: path) } }
        let ignored = try await findings(DraftFolder(store: listed.store, paths: uncovered.filter(isIgnored)), sources: sources)
        let found = try await findings(DraftFolder(store: listed.store, paths: uncovered.filter { !isIgnored($0) }), sources: sources)
        return (found.map(\.files), ignored.reduce(0) { $0 + $1.count })
    }

    /// The folders of the files that columns link: a path template's fixed folder, or the folders
    /// of the sampled paths of a `files` column.
    private func linkedFolders(of listed: DraftFolder, sources: [any SchemaSource]) async throws -> Set<String> {
        var covered: Set<String> = []
        for collection in catalog.collections {
            guard let link = collection.files, link.stores.contains(listed.store) else { continue }
            if let template = link.template {
                let fixed = template.text.prefix { $0 != "{" }
                covered.insert(fixed.contains("/") ? String(fixed[...fixed.lastIndex(of: "/")!]) : "")
            } else if let table = collection.table, let source = sources.first(where: { $0.name == collection.store }) {
                for case let value? in try await source.sampleValues(table: table, column: link.column, limit: sampleSize) {
                    let path = String(value.drop { $0 == "/" })
                    guard listed.files.contains(path) else { continue }
                    covered.insert(path.contains("/") ? String(path[...path.lastIndex(of: "/")!]) : "")
                }
            }
        }
        return covered
    }

    /// The shapes of `folder`'s files that hold identifiers, each with how many files it has.
    private func findings(_ folder: DraftFolder, sources: [any SchemaSource]) async throws -> [(files: CoverageReport.UnmappedFiles, count: Int)] {
        guard !folder.paths.isEmpty else { return [] }
        let named = CatalogDraft.patternCollections(folder, covered: [], regions: regions, taken: [])
        let rest = DraftFolder(store: folder.store, paths: folder.paths.filter { path in !named.contains { $0.matches(path) } })
        let targets = catalog.collections.compactMap { collection -> FileKeyMatch.Target? in
            guard let table = collection.table, collection.key.count == 1,
                  let source = sources.first(where: { $0.name == collection.store }) else { return nil }
            return FileKeyMatch.Target(source: source, table: table, key: collection.key[0], collection: collection.name)
        }
        let keyed = try await CatalogDraft.keyPatternCollections(rest, targets: targets, regions: regions, taken: [], sampleSize: sampleSize)
        return (named + keyed).map { collection in
            let kind = collection.identifiers.first.map(\.type) ?? "key"
            let evidence = collection.identifiers.first?.evidence ?? collection.references.first.map { String($0.evidence.trimmingPrefix("guess: ")) }
                ?? collection.notes.first ?? ""
            let count = folder.paths.filter { collection.matches($0) }.count
            return (CoverageReport.UnmappedFiles(store: folder.store, pattern: collection.pattern ?? "", kind: kind, evidence: evidence), count)
        }
    }
}
