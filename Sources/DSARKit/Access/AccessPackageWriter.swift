import Foundation
import Logging

/// Writes the answer to an access (Art. 15) or portability (Art. 20) request: one archive with
/// `index.html`, `data/<collection>.json|csv`, `files/<store>/<path>` and `manifest.json`.
///
/// Memory does not grow with the size of files or with the contents of records: files are
/// copied from their stores in chunks, and records are read back from their stores by key, a
/// batch at a time, once: each batch goes into the page, the JSON and the CSV together, spooled
/// to an unlinked `0600` temporary file next to the package until the archive takes each entry
/// (tar headers need its size first). A record that changes, vanishes or stops linking to the
/// subject after discovery stops the package with
/// ``DSARError/Code/dataChanged``. Pass a result discovered with
/// ``Discovery/RecordContents/linkColumns`` so discovery does not hold contents either.
///
/// The archive is written to a temporary file next to the destination and moved there only
/// when complete; on any failure nothing is left at the destination and the error names what
/// failed by store, collection and key.
public struct AccessPackageWriter: Sendable {
    public let catalog: Catalog
    public let stores: StoreSet
    public var logger: Logger
    public var templates: AccessTemplates?
    /// Bytes read from a file store at a time.
    public var chunkSize = 1 << 20

    public init(catalog: Catalog, stores: StoreSet, templates: AccessTemplates? = nil,
                logger: Logger = Logger(label: "dsar.access")) {
        self.catalog = catalog
        self.stores = stores
        self.templates = templates
        self.logger = logger
    }

    /// Writes the package of `result` to `destination`.
    /// With ``AccessPackageOptions/scope``, only the records it selects (and those under them) go in.
    public func write(result: DiscoveryResult, to destination: URL, options: AccessPackageOptions) async throws -> PackageSummary {
        try options.validate()
        var result = result
        var scopeStatement: ScopeStatement?
        if let scope = options.scope, !scope.isEmpty {
            (result, scopeStatement) = try scope.narrow(result, catalog: catalog)
        }
        if !result.problems.isEmpty, !options.allowIncomplete {
            let first = result.problems[0]
            let more = result.problems.count > 1 ? " (and \(result.problems.count - 1) more)" : ""
            throw DSARError(.fileMissing, "the package would be incomplete: \(first.message)\(more); fix the stores or allow an " +
                            "incomplete package", location: first.record.safeName(in: catalog))
        }
        let templates = try self.templates ?? AccessTemplates.builtIn
        let contents = try await PackageContents.survey(result: result, catalog: catalog, stores: stores,
                                                        portability: options.portability, now: options.generatedAt)
        let page = AccessPage(contents: contents, result: result, catalog: catalog, options: options,
                              packageName: destination.lastPathComponent, scope: scopeStatement)
        let (indexParts, showsRows) = try templates.renderIndexParts(language: options.language, page)
        var letter = try templates.render("letter", language: options.language, page)
        if !letter.hasSuffix("\n") { letter += "\n" }
        logger.info("writing access package", metadata: [
            "format": "\(options.format)", "records": "\(contents.recordCount)", "files": "\(contents.files.count)",
        ])

        let archive = try ArchiveWriter(format: options.format, passphrase: options.passphrase,
                                        destination: destination, overwrite: options.overwrite)
        do {
            // Every generated entry is made once, from one read of each collection's records, into
            // a spool; the archive takes each when its size is known.
            let spool = try EntrySpool(in: destination.deletingLastPathComponent())
            let (index, data) = try await spoolEntries(contents, page: page, indexParts: indexParts, showsRows: showsRows,
                                                       templates: templates, options: options, into: spool)
            var run = PackageRun(archive: archive, spool: spool, chunkSize: chunkSize, date: options.generatedAt,
                                 total: contents.fileBytes, progress: options.progress)
            try run.add("index.html", index)
            for (part, entries) in zip(contents.collections, data) {
                try run.add("data/\(part.dataName).json", entries.json)
                try run.add("data/\(part.dataName).csv", entries.csv)
            }
            for file in contents.files {
                try await copy(file, into: &run)
            }
            let head = makeManifestHead(result: result, contents: contents, options: options)
            let files = run.written.map { PackageManifest.File(path: $0.path, size: $0.size, sha256: $0.sha256) }
            let manifest = spool.entry(label: "manifest")
            try PackageManifest.write(head, records: manifestRecords(contents), files: files, to: manifest.write)
            try run.add(PackageManifest.entryPath, manifest)
            let (size, sha256) = try archive.finish()
            logger.info("access package written", metadata: ["format": "\(options.format)", "bytes": "\(size)"])
            return PackageSummary(
                path: destination.path, format: options.format, encrypted: options.passphrase != nil, size: size, sha256: sha256,
                requestID: options.requestID, records: contents.recordCount, files: contents.files.count,
                collections: head.collections, withheld: result.conflicts.count + result.ambiguous.count, coverLetter: letter)
        } catch {
            archive.abandon()
            throw error
        }
    }

    /// Writes the page and each collection's JSON and CSV into `spool`, reading each
    /// collection's records once.
    private func spoolEntries(_ contents: PackageContents, page: AccessPage, indexParts: [String], showsRows: [Bool],
                              templates: AccessTemplates, options: AccessPackageOptions,
                              into spool: EntrySpool) async throws -> (index: EntrySink, data: [(json: EntrySink, csv: EntrySink)]) {
        let index = spool.entry(label: "index.html")
        var data: [(json: EntrySink, csv: EntrySink)] = []
        let language = options.language
        for (position, part) in contents.collections.enumerated() {
            try index.write(indexParts[position])
            let json = spool.entry(label: "\(part.collection.name) data")
            let csv = spool.entry(label: "\(part.collection.name) data")
            try json.write(RecordTableEncoder.jsonStart)
            try csv.write(RecordTableEncoder.csvHeader(part.columns))
            var view = page.collections[position]
            try await readBatches(of: part) { batch, start in
                if showsRows[position] {
                    view.rows = batch.map { AccessPage.row($0.found, $0.record, in: part, now: options.generatedAt, language: language) }
                    try index.write(try templates.renderRows(language: language, view))
                }
                var jsonText = "", csvText = ""
                for (offset, (_, record)) in batch.enumerated() {
                    jsonText += RecordTableEncoder.jsonElement(record, first: start + offset == 0, kinds: part.valueKinds)
                    csvText += RecordTableEncoder.csvLine(record, columns: part.columns)
                }
                try json.write(jsonText)
                try csv.write(csvText)
            }
            try json.write(RecordTableEncoder.jsonEnd(empty: part.records.isEmpty))
            data.append((json, csv))
        }
        try index.write(indexParts[contents.collections.count])
        return (index, data)
    }

    /// Reads `part`'s records back a batch at a time and hands each batch (with the position
    /// of its first record) to `body`, checking that they are the records the survey read.
    private func readBatches(of part: PackageContents.Collection,
                             _ body: ([(found: FoundRecord, record: Record)], Int) throws -> Void) async throws {
        let reader = try PackageRecordReader(collection: part.collection, catalog: catalog, stores: stores)
        var fingerprint = RecordsFingerprint()
        try await reader.forEachBatch(part.records) { batch in
            try body(batch, fingerprint.count)
            for (_, record) in batch { fingerprint.add(record) }
        }
        guard fingerprint == part.fingerprint else {
            throw DSARError(.dataChanged, "the subject's records changed while the package was written; run the request again",
                            location: "\(part.collection.store)/\(part.collection.name)")
        }
    }

    /// Copies one file from its store, chunk by chunk.
    private func copy(_ file: PackageContents.PackageFile, into run: inout PackageRun) async throws {
        let store = try stores.fileStore(named: file.found.store)
        let stored = StoredFile(store: file.found.store, path: file.found.path, size: file.found.size)
        try run.archive.beginEntry(path: file.archivePath, size: stored.size, modified: run.date, compress: false, label: file.label)
        let archive = run.archive
        let reporter = run.reporter
        do {
            try await store.read(stored, chunkSize: chunkSize) { chunk in
                try archive.write(chunk)
                reporter.advance(Int64(chunk.count))
            }
        } catch let error as DSARError where error.code == .archiveFailure {
            throw error
        } catch {
            throw DSARError(.storeFailure, "a file could not be copied into the package", location: file.label, cause: error)
        }
        run.written.append(try archive.finishEntry())
    }

    /// The manifest without its records and files, which are written one at a time.
    private func makeManifestHead(result: DiscoveryResult, contents: PackageContents,
                                  options: AccessPackageOptions) -> PackageManifest {
        PackageManifest(
            type: PackageManifest.typeName, manifestVersion: 1, requestID: options.requestID,
            kind: options.portability ? "portability" : "access", generatedAt: ISO8601.timestamp(options.generatedAt),
            tool: .init(name: "DSARKit", version: DSARKit.version, libarchive: libarchiveVersion),
            language: options.language.rawValue, subject: result.subject.identifiers.map(\.description),
            encrypted: options.passphrase != nil,
            collections: contents.collections.map { .init(collection: $0.collection.name, records: $0.records.count, files: $0.files.count) },
            records: [],
            problems: result.problems.map { .init(collection: $0.record.collection, key: PackageManifest.keyObject($0.record.key),
                                                  message: $0.message) },
            files: [], scope: options.scope.flatMap { $0.isEmpty ? nil : $0 })
    }

    /// Every record's manifest entry, made as it is written.
    private func manifestRecords(_ contents: PackageContents) -> some Sequence<PackageManifest.RecordEntry> {
        contents.collections.lazy.flatMap { part in
            part.records.lazy.map { found in
                PackageManifest.RecordEntry(
                    collection: found.id.collection, key: PackageManifest.keyObject(found.id.key), role: found.role.rawValue,
                    provenance: found.provenance.map(PackageManifest.Step.init),
                    files: (part.filesByKey[found.id.key] ?? []).map(\.archivePath))
            }
        }
    }
}

/// The state of one package being written: entries so far and progress.
private struct PackageRun {
    let archive: ArchiveWriter
    let spool: EntrySpool
    let chunkSize: Int
    let date: Date
    let reporter: ProgressReporter
    var written: [ArchiveWriter.WrittenEntry] = []

    init(archive: ArchiveWriter, spool: EntrySpool, chunkSize: Int, date: Date, total: Int64,
         progress: (@Sendable (PackageProgress) -> Void)?) {
        self.archive = archive
        self.spool = spool
        self.chunkSize = chunkSize
        self.date = date
        reporter = ProgressReporter(total: total, callback: progress)
    }

    /// Adds a generated entry from the spool.
    mutating func add(_ path: String, _ entry: EntrySink) throws {
        try archive.beginEntry(path: path, size: entry.count, modified: date, compress: true, label: entry.label)
        try spool.copy(entry, into: archive, chunkSize: chunkSize)
        written.append(try archive.finishEntry())
    }
}

/// Counts copied bytes and calls the progress callback.
private final class ProgressReporter {
    private let total: Int64
    private let callback: (@Sendable (PackageProgress) -> Void)?
    private var done: Int64 = 0

    init(total: Int64, callback: (@Sendable (PackageProgress) -> Void)?) {
        self.total = total
        self.callback = callback
    }

    func advance(_ bytes: Int64) {
        done += bytes
        callback?(PackageProgress(bytesDone: done, bytesTotal: total))
    }
}
