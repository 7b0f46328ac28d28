/// Checks a catalog against its live stores for what it misses: every column outside the catalog
/// whose sampled values look like identifiers, and every collection nothing can reach.
/// Columns listed in the catalog's `coverage.ignore` are not reported.
public struct CoverageCheck: Sendable {
    public let catalog: Catalog
    /// How many non-NULL values of each column are sampled.
    public var sampleSize: Int

    public init(catalog: Catalog, sampleSize: Int = 1000) {
        self.catalog = catalog
        self.sampleSize = sampleSize
    }

    /// Regions national phone numbers are read in: those of the catalog's phone identifier types.
    public var regions: [String] {
        var regions: [String] = []
        for type in catalog.identifiers where type.kind == .phone {
            for region in type.regions where !regions.contains(region) { regions.append(region) }
        }
        return regions
    }

    /// Samples every column of every table of `sources` (stores that can describe their schema),
    /// and lists the files of `folders` (folder stores, buckets: any ``ListableFileStore``) whose names hold phone numbers, email addresses or keys of
    /// a catalogued table that no collection covers (or `coverage.ignore` folder excuses).
    public func run(sources: [any SchemaSource], folders: [any ListableFileStore] = []) async throws -> CoverageReport {
        var report = CoverageReport(unmappedColumns: [], unreachableCollections: unreachable(), ignoredColumns: 0)
        for source in sources {
            let collections = catalog.collections.filter { $0.store == source.name && $0.table != nil }
            for table in try await source.schemaTables() {
                let reading = collections.filter { $0.table == table.name }
                let mapped = Set(reading.flatMap(\.mentionedColumns))
                for column in table.columns where !mapped.contains(column.name) {
                    let values = try await source.sampleValues(table: table.name, column: column.name, limit: sampleSize)
                    guard let evidence = ColumnEvidence.classify(column: column.name, values: values, regions: regions) else { continue }
                    if catalog.coverageIgnores.contains(where: { $0.table == table.name && $0.column == column.name }) {
                        report.ignoredColumns += 1
                        continue
                    }
                    report.unmappedColumns.append(.init(store: source.name, table: table.name, column: column.name,
                                                        kind: evidence.kind.rawValue, evidence: evidence.summary,
                                                        tableInCatalog: !reading.isEmpty))
                }
            }
        }
        for folder in folders {
            let (files, ignored) = try await uncoveredFiles(in: folder, sources: sources)
            report.unmappedFiles += files
            report.ignoredFiles += ignored
        }
        return report
    }

    /// Collections with no identifier and no chain of references (either way) to one that has.
    func unreachable() -> [CoverageReport.UnreachableCollection] {
        var reached = Set(catalog.collections.filter { !$0.identifiers.isEmpty }.map(\.name))
        var changed = true
        while changed {
            changed = false
            for collection in catalog.collections where !reached.contains(collection.name) {
                let linked = collection.references.contains { reached.contains($0.targetCollection) }
                    || catalog.collections.contains { other in
                        reached.contains(other.name) && other.references.contains { $0.targetCollection == collection.name }
                    }
                if linked {
                    reached.insert(collection.name)
                    changed = true
                }
            }
        }
        return catalog.collections.filter { !reached.contains($0.name) }
            .map { CoverageReport.UnreachableCollection(collection: $0.name, store: $0.store) }
    }
}
