import Foundation

/// What goes into one package: the subject's records per collection (catalog order, then key
/// order), their files once each, and where each file sits in the archive.
/// Conflicts and ambiguous records are never in a ``DiscoveryResult``'s records, so they are
/// never here either.
struct PackageContents {
    struct Collection {
        var collection: DataCollection
        var records: [FoundRecord]
        var files: [PackageFile]
        var dataName: String
    }

    /// A file of the subject, and where it goes in the archive.
    struct PackageFile: Hashable {
        var found: FoundFile
        /// `files/<store>/<path>`.
        var archivePath: String
        /// Names the file in errors without its path (voicemail paths hold phone numbers).
        var label: String
    }

    var collections: [Collection]
    /// Every file, once, in archive order.
    var files: [PackageFile]
    var someWithheld: Bool

    init(result: DiscoveryResult, catalog: Catalog, portability: Bool) throws {
        var collections: [Collection] = []
        var seen = Set<String>()
        var allFiles: [PackageFile] = []
        for collection in catalog.collections {
            var records = result.records(in: collection.name).sorted { $0.id < $1.id }
            if portability { records = records.filter { Self.isPortable($0.record, in: collection) } }
            guard !records.isEmpty else { continue }
            let keys = Set(records.map(\.id.key))
            var files: [PackageFile] = []
            let found = result.files.filter { $0.collection == collection.name && keys.contains($0.record) }
                .sorted { ($0.store, $0.path) < ($1.store, $1.path) }
            for (index, file) in found.enumerated() {
                let archivePath = try Self.archivePath(store: file.store, path: file.path)
                let label = collection.pattern == nil
                    ? "\(file.store)/\(collection.name)[\(file.record)]"
                    : "\(file.store)/\(collection.name) file \(index + 1) of \(found.count)"
                let packageFile = PackageFile(found: file, archivePath: archivePath, label: label)
                files.append(packageFile)
                if seen.insert(archivePath).inserted { allFiles.append(packageFile) }
            }
            collections.append(Collection(collection: collection, records: records, files: files,
                                          dataName: Self.safeName(collection.name)))
        }
        self.collections = collections
        files = allFiles
        someWithheld = !result.conflicts.isEmpty || !result.ambiguous.isEmpty
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
