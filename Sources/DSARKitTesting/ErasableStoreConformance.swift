import DSARKit
import Foundation

/// The write behaviour every ``ErasableStore`` must show: deletes and updates by key,
/// idempotent repeats, hostile key values treated as data, and all-or-nothing changes.
///
/// `makeStore` is called once per check and must return a fresh store holding
/// ``TableStoreConformance/fixture``:
///
/// ```swift
/// let failures = await ErasableStoreConformance { fixture in try makeMyStore(with: fixture) }.run()
/// #expect(failures.isEmpty, "\(failures)")
/// ```
public struct ErasableStoreConformance: Sendable {
    private let makeStore: @Sendable (TableStoreConformance.Fixture) async throws -> any ErasableStore
    private let storesNUL: Bool
    private var collection: DataCollection { TableStoreConformance.collection }

    /// - Parameter storesNUL: whether the store's text can hold a NUL character; without it
    ///   the harness stores row 5 without its NUL (`Fixture.rows(storesNUL: false)`), so a key
    ///   with the NUL matches nothing and row 5 stays.
    public init(storesNUL: Bool = true, makeStore: @escaping @Sendable (TableStoreConformance.Fixture) async throws -> any ErasableStore) {
        self.storesNUL = storesNUL
        self.makeStore = makeStore
    }

    public func run() async -> [ConformanceFailure] {
        var log = ConformanceLog()
        await check("delete by key, then again", &log) { store, log in
            let changes = RowChanges(keyColumns: ["id"], deletes: [[.integer(2)], [.integer(404)]])
            try await store.apply(changes, to: collection)
            try await store.apply(changes, to: collection)
            let ids = try await ids(store)
            log.expect(ids == [1, 3, 4, 5, 6, 7, 8, 9], "delete by key, then again", "rows left: \(ids)")
        }
        await check("hostile key values are data", &log) { store, log in
            let hostile: [[Value]] = [[.text("1 OR 1=1")], [.text("%")], [.text("'; DROP TABLE people; --")],
                                      [.text("nul\u{0}byte@example.com")]]
            try await store.apply(RowChanges(keyColumns: ["email"], deletes: hostile), to: collection)
            let ids = try await ids(store)
            let expected: [Int64] = storesNUL ? [1, 2, 3, 6, 7, 8, 9] : [1, 2, 3, 5, 6, 7, 8, 9]
            log.expect(ids == expected, "hostile key values are data", "rows left: \(ids)")
        }
        await check("update by key, then again", &log) { store, log in
            let update = RowUpdate(key: [.integer(3)], columns: ["email", "note"], values: [.text("o'hash\"ed é"), .null])
            let changes = RowChanges(keyColumns: ["id"], updates: [update])
            try await store.apply(changes, to: collection)
            try await store.apply(changes, to: collection)
            let row = try await rows(store).first { $0["id"] == .integer(3) }
            log.expect(row?["email"] == .text("o'hash\"ed é") && row?["note"] == .null, "update by key, then again",
                       "row 3 is \(String(describing: row))")
            log.expect(try await ids(store).count == 9, "update by key, then again", "an update removed rows")
        }
        await check("a failing change changes nothing", &log) { store, log in
            let changes = RowChanges(keyColumns: ["id"], deletes: [[.integer(1)]],
                                     updates: [RowUpdate(key: [.integer(2)], columns: ["no_such_column"], values: [.null])])
            do {
                try await store.apply(changes, to: collection)
                log.failures.append(ConformanceFailure(check: "a failing change changes nothing", message: "no error"))
            } catch {}
            let ids = try await ids(store)
            log.expect(ids.count == 9, "a failing change changes nothing", "rows left: \(ids)")
        }
        return log.failures
    }

    private func check(_ name: String, _ log: inout ConformanceLog,
                       _ body: (any ErasableStore, inout ConformanceLog) async throws -> Void) async {
        do {
            let store = try await makeStore(TableStoreConformance.fixture)
            try await body(store, &log)
        } catch {
            log.record(error, name)
        }
    }

    private func rows(_ store: any ErasableStore) async throws -> [Record] {
        try await store.allRecords(in: collection, where: ColumnMatch(column: "id", values: (1...9).map { .integer(Int64($0)) }))
    }

    private func ids(_ store: any ErasableStore) async throws -> [Int64] {
        try await rows(store).compactMap { if case .integer(let id)? = $0["id"] { id } else { nil } }.sorted()
    }
}

/// The file-removal behaviour every ``ErasableFileStore`` must show.
public struct ErasableFileStoreConformance: Sendable {
    private let makeStore: @Sendable ([String: Data]) async throws -> any ErasableFileStore

    public init(makeStore: @escaping @Sendable ([String: Data]) async throws -> any ErasableFileStore) {
        self.makeStore = makeStore
    }

    public func run() async -> [ConformanceFailure] {
        var log = ConformanceLog()
        let check = "remove a file, then again"
        do {
            let store = try await makeStore(FileStoreConformance.files)
            let path = "calls/2026/03/l'appel été.wav"
            log.expect(try await store.removeFile(at: path), check, "the first removal found nothing")
            log.expect(try await store.removeFile(at: path) == false, check, "the second removal found something")
            log.expect(try await store.file(at: path) == nil, check, "the file is still there")
            for other in FileStoreConformance.files.keys where other != path {
                log.expect(try await store.file(at: other) != nil, check, "another file vanished")
            }
            for hostile in ["../outside.wav", "/etc/passwd", "calls/../../outside.wav", ""] {
                do {
                    try await store.removeFile(at: hostile)
                    log.failures.append(ConformanceFailure(check: "hostile paths are refused", message: "no error"))
                } catch let error as DSARError {
                    log.expect(error.code == .pathEscapesRoot, "hostile paths are refused", "wrong code \(error.code)")
                }
            }
        } catch {
            log.record(error, check)
        }
        return log.failures
    }
}
