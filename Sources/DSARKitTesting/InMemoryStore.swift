import DSARKit
import Foundation
import Synchronization

/// A store held in memory, for unit tests: tables of rows and a folder of files.
///
/// It serves table collections (by `table`) and pattern collections (over its files), and
/// refuses file paths that lead outside its root, like ``FolderStore``.
public final class InMemoryStore: FileStore {
    public let name: String

    struct Table: Sendable {
        var columns: [String]
        var rows: [[Value]]
    }

    struct State: Sendable {
        var tables: [String: Table] = [:]
        var files: [String: Data] = [:]
    }

    let state = Mutex(State())

    public init(name: String) {
        self.name = name
    }

    /// Adds (or replaces) a table.
    public func createTable(_ table: String, columns: [String], rows: [[Value]] = []) {
        state.withLock { $0.tables[table] = Table(columns: columns, rows: rows) }
    }

    /// Appends rows to a table.
    public func insert(into table: String, rows: [[Value]]) {
        state.withLock { $0.tables[table]?.rows.append(contentsOf: rows) }
    }

    /// Adds (or replaces) a file at a path relative to the root.
    public func putFile(_ path: String, contents: Data) {
        state.withLock { $0.files[path] = contents }
    }

    /// Every row of a table, as records.
    public func rows(of table: String) -> [Record] {
        state.withLock { state in
            guard let table = state.tables[table] else { return [] }
            return table.rows.map { Record(columns: table.columns, values: $0) }
        }
    }

    public func records(in collection: DataCollection, where match: ColumnMatch) -> AsyncThrowingStream<Record, any Error> {
        let wanted = Set(match.values.compactMap(\.textValue))
        let records: [Record] = state.withLock { state in
            if let pattern = collection.pattern {
                return state.files.keys.sorted().compactMap { path in
                    guard let captures = pattern.match(path) else { return nil }
                    return Record(columns: ["path"] + pattern.placeholders,
                                  values: [.text(path)] + pattern.placeholders.map { .text(captures[$0] ?? "") })
                }
            }
            guard let name = collection.table, let table = state.tables[name] else { return [] }
            return table.rows.map { Record(columns: table.columns, values: $0) }
        }
        return AsyncThrowingStream { continuation in
            for record in records where match.comparedValue(in: record).map({ match.comparison.matches($0, wanted) }) == true {
                continuation.yield(record)
            }
            continuation.finish()
        }
    }

    public func inspect(_ collection: DataCollection) async throws -> CollectionInspection {
        if let pattern = collection.pattern {
            let columns = ["path"] + pattern.placeholders
            return CollectionInspection(exists: true, columns: columns, indexedColumns: Set(columns),
                                        caseInsensitiveIndexedColumns: Set(columns))
        }
        return state.withLock { state in
            guard let name = collection.table, let table = state.tables[name] else { return CollectionInspection(exists: false) }
            return CollectionInspection(exists: true, columns: table.columns, indexedColumns: Set(table.columns),
                                        caseInsensitiveIndexedColumns: Set(table.columns))
        }
    }

    public func file(at path: String) async throws -> StoredFile? {
        try check(path)
        return state.withLock { state in
            state.files[path].map { StoredFile(store: name, path: path, size: Int64($0.count)) }
        }
    }

    public func read(_ file: StoredFile, chunkSize: Int, into body: (UnsafeRawBufferPointer) throws -> Void) async throws {
        try check(file.path)
        guard let data = state.withLock({ $0.files[file.path] }) else {
            throw DSARError(.fileMissing, "a file vanished before it was read", location: name)
        }
        guard Int64(data.count) == file.size else {
            throw DSARError(.storeFailure, "a file changed size while it was read", location: name)
        }
        var offset = 0
        while offset < data.count {
            let end = min(offset + max(chunkSize, 1), data.count)
            try data[offset..<end].withUnsafeBytes(body)
            offset = end
        }
    }

    private func check(_ path: String) throws {
        let components = path.split(separator: "/")
        if path.hasPrefix("/") || path.contains("\0") || components.isEmpty || components.contains("..") {
            throw DSARError(.pathEscapesRoot, "a file path leads outside the root of store '\(name)' and was not read", location: name)
        }
    }
}
