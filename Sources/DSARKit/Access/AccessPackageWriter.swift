import Foundation
import Logging

/// Writes the answer to an access (Art. 15) or portability (Art. 20) request: one archive with
/// `index.html`, `data/<collection>.json|csv`, `files/<store>/<path>` and `manifest.json`.
///
/// Files are copied from their stores in chunks, so memory does not grow with their size. The
/// archive is written to a temporary file next to the destination and moved there only when
/// complete; on any failure nothing is left at the destination and the error names what failed
/// by store, collection and key.
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
    public func write(result: DiscoveryResult, to destination: URL, options: AccessPackageOptions) async throws -> PackageSummary {
        try options.validate()
        if !result.problems.isEmpty, !options.allowIncomplete {
            let first = result.problems[0]
            let more = result.problems.count > 1 ? " (and \(result.problems.count - 1) more)" : ""
            throw DSARError(.fileMissing, "the package would be incomplete: \(first.message)\(more); fix the stores or allow an " +
                            "incomplete package", location: first.record.description)
        }
        let templates = try self.templates ?? AccessTemplates.builtIn
        let contents = try PackageContents(result: result, catalog: catalog, portability: options.portability)
        let page = AccessPage(contents: contents, result: result, catalog: catalog, options: options,
                              packageName: destination.lastPathComponent)
        let index = try templates.render("index", language: options.language, page)
        var letter = try templates.render("letter", language: options.language, page)
        if !letter.hasSuffix("\n") { letter += "\n" }
        logger.info("writing access package", metadata: [
            "format": "\(options.format)", "records": "\(contents.recordCount)", "files": "\(contents.files.count)",
        ])

        let archive = try ArchiveWriter(format: options.format, passphrase: options.passphrase,
                                        destination: destination, overwrite: options.overwrite)
        do {
            var run = PackageRun(archive: archive, date: options.generatedAt, total: contents.fileBytes, progress: options.progress)
            try run.add("index.html", Data(index.utf8), label: "index.html")
            for part in contents.collections {
                let records = part.records.map(\.record)
                try run.add("data/\(part.dataName).json", RecordTableEncoder.json(records), label: "\(part.collection.name) data")
                try run.add("data/\(part.dataName).csv", RecordTableEncoder.csv(records, columns: RecordTableEncoder.columns(of: records)),
                            label: "\(part.collection.name) data")
            }
            for file in contents.files {
                try await copy(file, into: &run)
            }
            let manifest = makeManifest(result: result, contents: contents, options: options, files: run.written)
            try archive.addEntry(path: PackageManifest.entryPath, contents: try manifest.encoded(), modified: options.generatedAt,
                                 label: "manifest")
            let (size, sha256) = try archive.finish()
            logger.info("access package written", metadata: ["format": "\(options.format)", "bytes": "\(size)"])
            return PackageSummary(
                path: destination.path, format: options.format, encrypted: options.passphrase != nil, size: size, sha256: sha256,
                requestID: options.requestID, records: contents.recordCount, files: contents.files.count,
                collections: manifest.collections, withheld: result.conflicts.count + result.ambiguous.count, coverLetter: letter)
        } catch {
            archive.abandon()
            throw error
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

    private func makeManifest(result: DiscoveryResult, contents: PackageContents, options: AccessPackageOptions,
                              files: [ArchiveWriter.WrittenEntry]) -> PackageManifest {
        let records = contents.collections.flatMap { part in
            part.records.map { found in
                PackageManifest.RecordEntry(
                    collection: found.id.collection, key: PackageManifest.keyObject(found.id.key), role: found.role.rawValue,
                    provenance: found.provenance.map(PackageManifest.Step.init),
                    files: part.files.filter { $0.found.record == found.id.key }.map(\.archivePath))
            }
        }
        return PackageManifest(
            type: PackageManifest.typeName, manifestVersion: 1, requestID: options.requestID,
            kind: options.portability ? "portability" : "access", generatedAt: AccessPage.iso8601(options.generatedAt),
            tool: .init(name: "DSARKit", version: DSARKit.version, libarchive: libarchiveVersion),
            language: options.language.rawValue, subject: result.subject.identifiers.map(\.description),
            encrypted: options.passphrase != nil,
            collections: contents.collections.map { .init(collection: $0.collection.name, records: $0.records.count, files: $0.files.count) },
            records: records,
            problems: result.problems.map { .init(collection: $0.record.collection, key: PackageManifest.keyObject($0.record.key),
                                                  message: $0.message) },
            files: files.map { .init(path: $0.path, size: $0.size, sha256: $0.sha256) })
    }
}

/// The state of one package being written: entries so far and progress.
private struct PackageRun {
    let archive: ArchiveWriter
    let date: Date
    let reporter: ProgressReporter
    var written: [ArchiveWriter.WrittenEntry] = []

    init(archive: ArchiveWriter, date: Date, total: Int64, progress: (@Sendable (PackageProgress) -> Void)?) {
        self.archive = archive
        self.date = date
        reporter = ProgressReporter(total: total, callback: progress)
    }

    mutating func add(_ path: String, _ data: Data, label: String) throws {
        written.append(try archive.addEntry(path: path, contents: data, modified: date, label: label))
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
