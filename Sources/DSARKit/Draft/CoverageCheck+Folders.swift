extension CoverageCheck {
    /// The files of `folder` whose names hold phone numbers and that no collection covers: neither
    /// a pattern collection of the store matches them, nor do they sit in a folder a column links
    /// (a path template's fixed folder, or the folders of the sampled paths of a `files` column).
    /// Grouped by shape (`voicemail/{phone}-{date}.wav`), named as the draft names them: never a number.
    func uncoveredFiles(in folder: FolderStore, sources: [any SchemaSource]) async throws -> [CoverageReport.UnmappedFiles] {
        guard catalog.stores.contains(where: { $0.name == folder.name }) else { return [] }
        let listed = try DraftFolder(folder)
        let patterns = catalog.collections.filter { $0.store == folder.name }.compactMap(\.pattern)
        var covered: Set<String> = []
        for collection in catalog.collections {
            guard let link = collection.files, link.stores.contains(folder.name) else { continue }
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
        let uncovered = DraftFolder(store: listed.store, paths: listed.paths.filter { path in
            !patterns.contains { $0.match(path) != nil }
        })
        return CatalogDraft.patternCollections(uncovered, covered: covered, regions: regions, taken: []).map { collection in
            CoverageReport.UnmappedFiles(store: folder.name, pattern: collection.pattern ?? "", evidence: collection.identifiers.first?.evidence ?? "")
        }
    }
}
