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
                let wanted = Set(match.values.compactMap(\.textValue))
                // A file can only match if its path contains one of the values: skip the rest
                // before the (slower) pattern match.
                let prefilter = { (path: String) -> Bool in
                    let text = match.comparison == .caseInsensitive ? path.asciiLowercased() : path
                    return wanted.contains { text.contains($0) }
                }
                for record in try patternRecords(pattern, collection: collection.name, where: prefilter)
                where record[match.column].map({ match.comparison.matches($0, wanted) }) == true {
                    continuation.yield(record)
                }
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
        }
    }

    /// Every file matching the pattern, as records sorted by path.
    func patternRecords(_ pattern: FilePattern, collection: String, where include: (String) -> Bool = { _ in true }) throws -> [Record] {
        let columns = ["path"] + pattern.placeholders
        return try listFiles(below: pattern.baseFolder, collection: collection).compactMap { path in
            guard include(path), let captures = pattern.match(path) else { return nil }
            return Record(columns: columns, values: [.text(path)] + pattern.placeholders.map { .text(captures[$0] ?? "") })
        }
    }

    /// Relative paths of the regular files below `folder`, skipping links that leave the root.
    func listFiles(below folder: String, collection: String) throws -> [String] {
        let base = folder.isEmpty ? root : root.appendingPathComponent(folder, isDirectory: true)
        guard FileManager.default.fileExists(atPath: base.path) else { return [] }
        guard let enumerator = FileManager.default.enumerator(
            at: base, includingPropertiesForKeys: [.isRegularFileKey, .isSymbolicLinkKey], options: []
        ) else { return [] }
        var paths: [String] = []
        var escaping = 0
        let rootPath = root.path
        for case let url as URL in enumerator {
            let standardized = url.standardizedFileURL.path
            guard standardized.hasPrefix(rootPath + "/") else { continue }
            let relative = String(standardized.dropFirst(rootPath.count + 1))
            var status = stat()
            if lstat(standardized, &status) == 0, status.st_mode & S_IFMT != S_IFLNK {
                // Not a link: inside the root by construction; only regular files count.
                if status.st_mode & S_IFMT == S_IFREG { paths.append(relative) }
                continue
            }
            let resolved = url.resolvingSymlinksInPath().standardizedFileURL.path
            guard resolved.hasPrefix(rootPath + "/") else {
                escaping += 1
                continue
            }
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: resolved, isDirectory: &isDirectory), !isDirectory.boolValue else { continue }
            paths.append(relative)
        }
        if escaping > 0 {
            logger.warning("files leading outside the store root were skipped",
                           metadata: ["store": "\(name)", "collection": "\(collection)", "count": "\(escaping)"])
        }
        return paths.sorted()
    }

    public func inspect(_ collection: DataCollection) async throws -> CollectionInspection {
        guard let pattern = collection.pattern else { return CollectionInspection(exists: false) }
        let base = pattern.baseFolder.isEmpty ? root : root.appendingPathComponent(pattern.baseFolder)
        var isDirectory: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: base.path, isDirectory: &isDirectory) && isDirectory.boolValue
        let columns = ["path"] + pattern.placeholders
        return CollectionInspection(exists: exists, columns: columns, indexedColumns: Set(columns),
                                    caseInsensitiveIndexedColumns: Set(columns))
    }

    // MARK: Linked files

    public func file(at path: String) async throws -> StoredFile? {
        guard let url = try resolve(path) else { return nil }
        let attributes = try FileManager.default.attributesOfItem(atPath: url.path)
        guard (attributes[.type] as? FileAttributeType) == .typeRegular else { return nil }
        let size = (attributes[.size] as? NSNumber)?.int64Value ?? 0
        return StoredFile(store: name, path: path, size: size)
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
        guard FileManager.default.fileExists(atPath: url.path) else {
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
}
