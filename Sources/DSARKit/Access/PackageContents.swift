import Foundation

/// What goes into one package: the subject's records per collection (catalog order, then key
/// order), their files once each, and where each file sits in the archive.
/// Conflicts and ambiguous records are never in a ``DiscoveryResult``'s records, so they are
/// never here either.
///
/// Made by ``survey(result:catalog:stores:portability:now:)``, which reads every record once
/// and keeps only what the page's headings need (columns, whether any row is held, a running
/// digest): record contents are read again, a batch at a time, by each entry that shows them.
struct PackageContents {
    struct Collection {
        var collection: DataCollection
        /// As discovery found them: key, role, provenance (contents possibly only link columns),
        /// in key order. A slice of the result's records unless some were left out.
        var records: ArraySlice<FoundRecord>
        var files: [PackageFile]
        /// Files by the key of the record they belong to.
        var filesByKey: [RecordKey: [PackageFile]]
        var dataName: String
        /// The union of the records' columns, in first-seen order.
        var columns: [String]
        /// Some record is under a legal hold: its own, or that of a held row it sits under.
        var hasHeld: Bool
        /// Some record is under the collection's own hold.
        var hasOwnHeld = false
        /// Records kept because they sit under a held row of another collection, with that
        /// row's name (`calls[id=10]`), as erasure would keep them.
        var heldUnder: [RecordKey: String] = [:]
        /// The collections of those held rows, for their hold's reason.
        var heldUnderCollections: [DataCollection] = []
        /// What the survey read; every later pass must read the same.
        var fingerprint: RecordsFingerprint
        /// What the store says each column holds, so `data/<collection>.json` keeps the types.
        var valueKinds: [String: ColumnValueKind] = [:]
    }

    /// A file of the subject, and where it goes in the archive.
    struct PackageFile: Hashable {
        var found: FoundFile
        /// `files/<store>/<path>`.
        var archivePath: String
        /// Names the file in errors without its path (voicemail paths hold phone numbers).
        var label: String
        /// The store will not delete the file now (an S3 Object Lock): the page says so, with the
        /// date, as the erasure plan would keep it.
        var lock: FileLock? = nil
    }

    var collections: [Collection]
    /// Every file, once, in archive order.
    var files: [PackageFile]
    var someWithheld: Bool
    /// The subject's name from the first owned record with name columns, if any.
    var guessedName: String?

    /// Reads every record of `result` once: filters them for portability, collects the columns
    /// and held flags the page needs, and places their files.
    static func survey(result: DiscoveryResult, catalog: Catalog, stores: StoreSet, portability: Bool,
                       now: Date) async throws -> PackageContents {
        var collections: [Collection] = []
        var seen = Set<String>()
        var allFiles: [PackageFile] = []
        var guessedName: String?
        var held: [RecordID] = [], heldHere = Set<RecordID>()
        let filesByCollection = Dictionary(grouping: result.files, by: \.collection)
        let slices = recordsByCollection(result.records)
        for collection in catalog.collections {
            let candidates = slices[collection.name] ?? []
            guard !candidates.isEmpty else { continue }
            let reader = try PackageRecordReader(collection: collection, catalog: catalog, stores: stores)
            var included: [FoundRecord] = []
            var excluded = false
            var columns: [String] = []
            var columnSet = Set<String>()
            var hasHeld = false
            var fingerprint = RecordsFingerprint()
            try await reader.forEachBatch(candidates) { batch in
                for (found, record) in batch {
                    let isHeld = collection.hold.map { AccessPage.isHeld(record, rule: $0, now: now) } ?? false
                    if isHeld {
                        heldHere.insert(found.id)
                        if collection.hold?.reachesChildren == true { held.append(found.id) }
                    }
                    if portability, !isPortable(record, in: collection) {
                        if !excluded { included = Array(candidates.prefix { $0.id != found.id }) }
                        excluded = true
                        continue
                    }
                    if excluded { included.append(found) }
                    for column in record.columns where columnSet.insert(column).inserted { columns.append(column) }
                    if isHeld { hasHeld = true }
                    if guessedName == nil, found.role == .owned { guessedName = AccessPage.guessName(record) }
                    fingerprint.add(record)
                }
            }
            let records = excluded ? ArraySlice(included) : candidates
            guard !records.isEmpty else { continue }
            let keys = Set(records.map(\.id.key))
            var files: [PackageFile] = []
            let found = (filesByCollection[collection.name] ?? []).filter { keys.contains($0.record) }
                .sorted { ($0.store, $0.path) < ($1.store, $1.path) }
            for (index, file) in found.enumerated() {
                let archivePath = try archivePath(store: file.store, path: file.path)
                let label = collection.pattern == nil
                    ? "\(file.store)/\(RecordID(collection: collection.name, key: file.record).safeName(in: catalog))"
                    : "\(file.store)/\(collection.name) file \(index + 1) of \(found.count)"
                let lock = try await (stores[file.store] as? any LockingFileStore)?.lock(on: file.path)
                let packageFile = PackageFile(found: file, archivePath: archivePath, label: label, lock: lock)
                files.append(packageFile)
                if seen.insert(archivePath).inserted { allFiles.append(packageFile) }
            }
            collections.append(Collection(
                collection: collection, records: records, files: files, filesByKey: Dictionary(grouping: files, by: \.found.record),
                dataName: safeName(collection.name), columns: columns, hasHeld: hasHeld, hasOwnHeld: hasHeld, fingerprint: fingerprint,
                valueKinds: try await valueKinds(of: collection, stores: stores)))
        }
        markHeldUnder(&collections, held: held, ownHolds: heldHere, result: result, catalog: catalog)
        return PackageContents(collections: collections, files: allFiles,
                               someWithheld: !result.conflicts.isEmpty || !result.ambiguous.isEmpty, guessedName: guessedName)
    }

    /// Marks the records that sit under a held record (a held customer's calls and their
    /// recordings), as erasure keeps them with it. `held`: the held records whose hold reaches
    /// children; `ownHolds`: every record under a hold of its own, which keeps its own mark.
    static func markHeldUnder(_ collections: inout [Collection], held: [RecordID], ownHolds: Set<RecordID>, result: DiscoveryResult,
                              catalog: Catalog) {
        guard !held.isEmpty else { return }
        let reached = RowIndex(result.records, catalog: catalog).rowsUnder(held, catalog: catalog) { !ownHolds.contains($0) }
        let byCollection = Dictionary(grouping: reached, by: \.row.collection)
        for index in collections.indices {
            guard let rows = byCollection[collections[index].collection.name] else { continue }
            let keys = Set(collections[index].records.map(\.id.key))
            for (row, origin) in rows where keys.contains(row.key) {
                collections[index].heldUnder[row.key] = origin.safeName(in: catalog)
                if !collections[index].heldUnderCollections.contains(where: { $0.name == origin.collection }),
                   let origin = catalog.collection(named: origin.collection) {
                    collections[index].heldUnderCollections.append(origin)
                }
            }
            if !collections[index].heldUnder.isEmpty { collections[index].hasHeld = true }
        }
    }

    /// What `collection`'s store says each of its columns holds (none for files).
    static func valueKinds(of collection: DataCollection, stores: StoreSet) async throws -> [String: ColumnValueKind] {
        guard collection.table != nil else { return [:] }
        return try await stores.store(for: collection).inspect(collection).columnFacts.compactMapValues(\.valueKind)
    }

    /// Each collection's records in key order: slices of `records` when, as discovery leaves
    /// them, they are grouped by collection and sorted by key; sorted copies otherwise.
    static func recordsByCollection(_ records: [FoundRecord]) -> [String: ArraySlice<FoundRecord>] {
        var slices: [String: ArraySlice<FoundRecord>] = [:]
        var start = records.startIndex
        var sorted = true
        while start < records.endIndex {
            let name = records[start].id.collection
            var end = start + 1
            while end < records.endIndex, records[end].id.collection == name {
                if records[end].id.key < records[end - 1].id.key { sorted = false }
                end += 1
            }
            if slices[name] != nil { sorted = false }
            slices[name] = records[start..<end]
            start = end
        }
        guard sorted else {
            return Dictionary(grouping: records, by: \.id.collection).mapValues { ArraySlice($0.sorted { $0.id < $1.id }) }
        }
        return slices
    }

    var recordCount: Int { collections.reduce(0) { $0 + $1.records.count } }
    var fileBytes: Int64 { files.reduce(0) { $0 + $1.found.size } }

    /// Art. 20: only what is processed on consent or contract (per row where the catalog says so).
    static func isPortable(_ record: Record, in collection: DataCollection) -> Bool {
        switch collection.lawfulBasis {
        case .fixed(let basis)?: return basis == .consent || basis == .contract
        case .column(let column)?:
            let value = record[column]?.textValue.flatMap(LawfulBasis.init(rawValue:))
            return value == .consent || value == .contract
        case nil: return false
        }
    }

    /// `files/<store>/<path>`, refusing anything that could leave the package's folder when extracted.
    static func archivePath(store: String, path: String) throws -> String {
        let components = path.split(separator: "/", omittingEmptySubsequences: false)
        guard !path.hasPrefix("/"), !path.contains("\0"), !path.contains("\\"),
              !components.contains(where: { $0.isEmpty || $0 == "." || $0 == ".." }),
              !store.contains("/"), !store.isEmpty, store != "..", store != "." else {
            throw DSARError(.pathEscapesRoot, "a file path cannot be placed inside the package", location: store)
        }
        return "files/\(store)/\(path)"
    }

    /// A collection name usable as a file name.
    static func safeName(_ name: String) -> String {
        let cleaned = String(name.map { $0 == "/" || $0 == "\\" || $0 == "\0" ? "_" : $0 })
        return cleaned.hasPrefix(".") ? "_" + cleaned : cleaned
    }
}
