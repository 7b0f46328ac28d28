import Foundation
import Logging

/// A `files` store: a folder of recordings and other files.
///
/// It serves two kinds of collection: files linked from a column of another collection
/// (``file(at:)``), and pattern collections whose records are the files whose names match a
/// ``FilePattern`` (columns `path` and the pattern's placeholders).
///
/// No path leads outside the root: `..`, absolute paths and symbolic links that resolve
/// outside it are refused with ``DSARError/Code/pathEscapesRoot`` before anything is read.
public struct FolderStore: FileStore {
    public let name: String
    /// The root folder, with symbolic links resolved.
    public let root: URL
    private let logger: Logger
    private let listings = FolderListingCache()

    public init(name: String, root: URL, logger: Logger = Logger(label: "dsar.store.files")) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw DSARError(.storeUnavailable, "the root folder of files store '\(name)' does not exist", location: root.path)
        }
        self.name = name
        self.root = root.resolvingSymlinksInPath().standardizedFileURL
        self.logger = logger
    }

    // MARK: Pattern collections

    public func records(in collection: DataCollection, where match: ColumnMatch) -> AsyncThrowingStream<Record, any Error> {
        AsyncThrowingStream { continuation in
            do {
                guard let pattern = collection.pattern else {
                    throw DSARError(.unsupported, "a files store only serves pattern collections", location: "\(name)/\(collection.name)")
                }
                if let sidecar = collection.sidecar {
                    // Read afresh on every lookup: a sidecar can change without its folder changing.
                    let (paths, _) = try listFiles(below: pattern.baseFolder, collection: collection.name)
                    let wanted = Set(match.values.compactMap { value in
                        value.textValue.map { match.comparison == .caseInsensitive ? EmailFolding.fold($0) : $0 }
                    })
                    // A lookup by the file's name (its path or a placeholder) reads only the sidecars of the files it matches.
                    let byName = !sidecar.fields.contains(match.column)
                    func matches(_ record: Record) -> Bool { match.comparison.matches(record[match.column] ?? .null, wanted) }
                    for record in try sidecarRecords(pattern, sidecar, paths: paths, collection: collection.name,
                                                     matchingName: byName ? { matches($0) } : nil)
                    where matches(record) {
                        continuation.yield(record)
                    }
                    continuation.finish()
                    return
                }
                guard match.comparison != .containing else {
                    throw DSARError(.unsupported, "identifiers extracted from text are not supported in file names", location: "\(name)/\(collection.name)")
                }
                let index = try patternIndex(pattern, collection: collection.name, column: match.column, comparison: match.comparison)
                var seen = Set<String>()
                for value in match.values {
                    guard var text = value.textValue else { continue }
                    if match.comparison == .caseInsensitive { text = EmailFolding.fold(text) }
                    for record in index[text] ?? [] where seen.insert(record["path"]?.textValue ?? "").inserted {
                        continuation.yield(record)
                    }
                }
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
        }
    }

    /// The pattern's records indexed by one column's value (folded for case-insensitive
    /// lookups), rebuilt only when the folder changes.
    func patternIndex(_ pattern: FilePattern, collection: String, column: String,
                      comparison: ColumnMatch.Comparison) throws -> [String: [Record]] {
        let (paths, generation) = try listFiles(below: pattern.baseFolder, collection: collection)
        return listings.index("\(pattern.text)\u{0}\(column)\u{0}\(comparison)", generation: generation) {
            var index: [String: [Record]] = [:]
            for record in patternRecords(pattern, paths: paths) {
                guard var text = record[column]?.textValue else { continue }
                if comparison == .caseInsensitive { text = EmailFolding.fold(text) }
                index[text, default: []].append(record)
            }
            return index
        }
    }

    /// The files matching the pattern, as records sorted by path.
    func patternRecords(_ pattern: FilePattern, paths: [String]) -> [Record] {
        let columns = ["path"] + pattern.placeholders
        return paths.compactMap { path in
            guard let captures = pattern.match(path) else { return nil }
            return Record(columns: columns, values: [.text(path)] + pattern.placeholders.map { .text(captures[$0] ?? "") })
        }
    }

    /// The files matching the pattern, as records sorted by path, with their sidecar's fields
    /// (NULL when the sidecar or its line is missing). A sidecar is never a record itself while
    /// its file is there; a sidecar whose file is gone (an erasure stopped between the two, a
    /// recording deleted by hand) is a record of its own, so what it says of the caller is
    /// still found, packaged and erased. `matchingName`, when given, keeps only the files whose
    /// path and placeholders it accepts, before their sidecars are read.
    func sidecarRecords(_ pattern: FilePattern, _ sidecar: FileSidecar, paths: [String], collection: String,
                        matchingName: ((Record) -> Bool)? = nil) throws -> [Record] {
        let columns = ["path"] + pattern.placeholders + sidecar.fields
        let present = Set(paths)
        var matched = paths.compactMap { path in pattern.match(path).map { (path: path, captures: $0, orphan: false) } }
        let sidecars = Set(matched.map { sidecar.path(beside: $0.path, captures: $0.captures) })
        if let sidecarPattern = sidecar.pattern(beside: pattern) {
            let files = Set(matched.map(\.path))
            matched += paths.compactMap { path in
                guard !sidecars.contains(path), !files.contains(path), let captures = sidecarPattern.match(path) else { return nil }
                return (path: path, captures: captures, orphan: true)
            }
            matched.sort { $0.path < $1.path }
        }
        var records: [Record] = []
        for (path, captures, orphan) in matched where !sidecars.contains(path) {
            var values: [Value] = [.text(path)]
            values += pattern.placeholders.map { placeholder -> Value in .text(captures[placeholder] ?? "") }
            if let matchingName, !matchingName(Record(columns: Array(columns.prefix(values.count)), values: values)) { continue }
            let sidecarPath = orphan ? path : sidecar.path(beside: path, captures: captures)
            let fields = present.contains(sidecarPath) ? sidecar.values(in: try sidecarText(sidecarPath, collection: collection)) : [:]
            values += sidecar.fields.map { field -> Value in fields[field].map(Value.text) ?? .null }
            records.append(Record(columns: columns, values: values))
        }
        return records
    }

    /// A sidecar's text. One that is listed but cannot be read throws
    /// ``DSARError/Code/unreadable``: its file's caller would otherwise go unseen.
    private func sidecarText(_ path: String, collection: String) throws -> String {
        do {
            guard let url = try resolve(path) else { return "" }
            return String(decoding: try Data(contentsOf: url), as: UTF8.self)
        } catch let error as DSARError {
            throw error
        } catch {
            throw DSARError(.unreadable, "a sidecar file of store '\(name)' cannot be read; collection '\(collection)' cannot be searched",
                            location: "\(name)/\(collection)", cause: error)
        }
    }

    /// Relative paths of the regular files below `folder`, skipping links that leave the root.
    /// The listing is reused while no folder in it has changed (their modification times are
    /// compared on every call), so repeated lookups do not walk the tree again.
    ///
    /// A folder or link below it that cannot be read throws ``DSARError/Code/unreadable``:
    /// an unreadable folder is not an empty one.
    func listFiles(below folder: String, collection: String) throws -> (paths: [String], generation: UInt64) {
        let base = folder.isEmpty ? root : root.appendingPathComponent(folder, isDirectory: true)
        if let cached = listings.cached(base.path) { return cached }
        switch try probe(base.path, below: folder, collection: collection) {
        case .missing: return ([], 0)
        case .folder: break
        case .file, .other:
            throw DSARError(.unreadable, "folder '\(folder)' of store '\(name)' is not a folder; collection '\(collection)' cannot be searched",
                            location: "\(name)/\(folder)")
        }
        let keys: [URLResourceKey] = [.isRegularFileKey, .isSymbolicLinkKey, .isDirectoryKey]
        let failures = EnumerationFailures()
        guard let enumerator = FileManager.default.enumerator(at: base, includingPropertiesForKeys: keys, options: [],
                                                               errorHandler: { _, error in failures.record(error); return true }) else {
            throw DSARError(.unreadable, "folder '\(folder)' of store '\(name)' cannot be read; collection '\(collection)' cannot be searched",
                            location: "\(name)/\(folder)")
        }
        var paths: [String] = []
        guard let baseModified = FolderListingCache.modified(base.path) else { return ([], 0) }
        var folders = [(path: base.path, modified: baseModified)]
        var complete = true
        var escaping = 0
        let rootPrefix = root.path + "/"
        for case let url as URL in enumerator {
            let path = url.standardizedFileURL.path
            guard path.hasPrefix(rootPrefix) else { continue }
            let values: URLResourceValues
            do {
                values = try url.resourceValues(forKeys: Set(keys))
            } catch {
                failures.record(error)
                continue
            }
            if values.isDirectory == true, values.isSymbolicLink != true {
                if let modified = FolderListingCache.modified(path) { folders.append((path, modified)) } else { complete = false }
                continue
            }
            if values.isSymbolicLink == true {
                let resolved = url.resolvingSymlinksInPath().standardizedFileURL.path
                guard resolved.hasPrefix(rootPrefix) else { escaping += 1; continue }
                // A link to nothing holds no file; a link that cannot be followed (a loop) is unreadable.
                guard case .file = try probe(path, below: folder, collection: collection) else { continue }
            } else if values.isRegularFile != true {
                continue
            }
            paths.append(String(path.dropFirst(rootPrefix.count)))
        }
        if let failure = failures.first {
            throw DSARError(.unreadable, "a folder below '\(folder)' of store '\(name)' cannot be read; collection '\(collection)' cannot be searched",
                            location: "\(name)/\(folder)", cause: failure)
        }
        if escaping > 0 {
            logger.warning("files leading outside the store root were skipped",
                           metadata: ["store": "\(name)", "collection": "\(collection)", "count": "\(escaping)"])
        }
        paths.sort()
        // An incomplete walk gets a generation of its own, so nothing derived from it is reused.
        return (paths, complete ? listings.store(base.path, paths: paths, folders: folders) : listings.store("\u{0}", paths: [], folders: []))
    }

    /// Lists the pattern's folder too, so a folder below it that cannot be read is reported
    /// (``DSARError/Code/unreadable``) before any lookup meets it.
    public func inspect(_ collection: DataCollection) async throws -> CollectionInspection {
        guard let pattern = collection.pattern else { return CollectionInspection(exists: false) }
        let base = pattern.baseFolder.isEmpty ? root : root.appendingPathComponent(pattern.baseFolder)
        let exists = try probe(base.path, below: pattern.baseFolder, collection: collection.name) == .folder
        if exists { _ = try listFiles(below: pattern.baseFolder, collection: collection.name) }
        let columns = ["path"] + pattern.placeholders + (collection.sidecar?.fields ?? [])
        return CollectionInspection(exists: exists, columns: columns, indexedColumns: Set(columns),
                                    caseInsensitiveIndexedColumns: Set(columns))
    }

    // MARK: Linked files

    /// A path that exists but cannot be read, or is not a regular file, throws
    /// ``DSARError/Code/unreadable``: only a path with nothing at it is `nil`.
    public func file(at path: String) async throws -> StoredFile? {
        guard let url = try resolve(path) else { return nil }
        switch try FolderEntry.probe(url.path, store: name) {
        case .file(let size): return StoredFile(store: name, path: path, size: size)
        case .missing: return nil
        case .folder, .other:
            throw DSARError(.unreadable, "a linked path of store '\(name)' is not a regular file and cannot be read", location: name)
        }
    }

    public func read(_ file: StoredFile, chunkSize: Int = 1 << 20, into body: (UnsafeRawBufferPointer) throws -> Void) async throws {
        guard let url = try resolve(file.path) else {
            throw DSARError(.fileMissing, "a file vanished before it was read", location: name)
        }
        let handle = try FileHandle(forReadingFrom: url)
        defer { try? handle.close() }
        var total: Int64 = 0
        while true {
            guard let chunk = try handle.read(upToCount: chunkSize), !chunk.isEmpty else { break }
            total += Int64(chunk.count)
            guard total <= file.size else { break }
            try chunk.withUnsafeBytes(body)
        }
        guard total == file.size else {
            throw DSARError(.storeFailure, "a file changed size while it was read (expected \(file.size) bytes)", location: name)
        }
    }

    /// The URL of `path` inside the root, `nil` when nothing is there.
    func resolve(_ path: String) throws -> URL? {
        let components = path.split(separator: "/", omittingEmptySubsequences: true)
        guard !path.hasPrefix("/"), !path.contains("\0"), !components.isEmpty,
              !components.contains(where: { $0 == ".." }) else {
            throw DSARError(.pathEscapesRoot, "a file path leads outside the root of store '\(name)' and was not read", location: name)
        }
        let url = root.appendingPathComponent(path)
        guard try FolderEntry.probe(url.path, store: name) != .missing else {
            // A dangling link is still refused if it points outside.
            if let destination = try? FileManager.default.destinationOfSymbolicLink(atPath: url.path),
               !URL(fileURLWithPath: destination, relativeTo: url.deletingLastPathComponent()).standardizedFileURL.path
                .hasPrefix(root.path + "/") {
                throw DSARError(.pathEscapesRoot, "a file path leads outside the root of store '\(name)' and was not read", location: name)
            }
            return nil
        }
        let resolved = url.resolvingSymlinksInPath().standardizedFileURL
        guard resolved.path.hasPrefix(root.path + "/") else {
            throw DSARError(.pathEscapesRoot, "a file path leads outside the root of store '\(name)' and was not read", location: name)
        }
        return resolved
    }

    /// ``FolderEntry/probe(_:store:)``, naming the collection and its folder in the error.
    private func probe(_ path: String, below folder: String, collection: String) throws -> FolderEntry {
        do {
            return try FolderEntry.probe(path, store: name)
        } catch let error as DSARError {
            throw DSARError(.unreadable, "\(error.message) below '\(folder)'; collection '\(collection)' cannot be searched",
                            location: "\(name)/\(folder)", cause: error)
        }
    }
}

/// Errors met while walking a folder, kept by the enumerator's error handler.
private final class EnumerationFailures: @unchecked Sendable {
    private var errors: [any Error] = []
    func record(_ error: any Error) { errors.append(error) }
    var first: (any Error)? { errors.first }
}
