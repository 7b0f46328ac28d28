import DSARKit
import Foundation

/// The behaviour every file store must show: pattern collections, linked files, and no path
/// that leads outside the root.
public struct FileStoreConformance: Sendable {
    /// Files every store under test must hold, by path relative to its root.
    public static let files: [String: Data] = [
        "voicemail/0612345678_20260101T090000.wav": Data("RIFF-one".utf8),
        "voicemail/0021698123456_20260102T100000.wav": Data("RIFF-two".utf8),
        "voicemail/readme.txt": Data("not a voicemail".utf8),
        "calls/2026/03/call-1.wav": Data(repeating: 7, count: 300_000),
        "calls/2026/03/l'appel été.wav": Data("accents".utf8),
    ]

    /// The pattern collection the suite looks up.
    public static let collection = DataCollection(
        name: "voicemails", store: "files",
        pattern: try! FilePattern("voicemail/{phone}_{received}.wav"),
        identifiers: [IdentifierColumn(column: "phone", type: "phone")]
    )

    private let makeStore: @Sendable ([String: Data]) async throws -> any FileStore

    /// `makeStore` receives the files to create and returns the store over them.
    public init(makeStore: @escaping @Sendable ([String: Data]) async throws -> any FileStore) {
        self.makeStore = makeStore
    }

    public func run() async -> [ConformanceFailure] {
        var log = ConformanceLog()
        let store: any FileStore
        do {
            store = try await makeStore(Self.files)
        } catch {
            log.record(error, "make store")
            return log.failures
        }
        await checkPattern(store, &log)
        await checkLinkedFiles(store, &log)
        for path in ["../outside.wav", "/etc/passwd", "calls/../../outside.wav", "", "calls/\u{0}.wav"] {
            let check = "a path leading outside the root is refused"
            do {
                _ = try await store.file(at: path)
                log.failures.append(ConformanceFailure(check: check, message: "no error for a hostile path"))
            } catch let error as DSARError {
                log.expect(error.code == .pathEscapesRoot, check, "wrong code \(error.code)")
            } catch {
                log.record(error, check)
            }
        }
        return log.failures
    }

    private func checkPattern(_ store: any FileStore, _ log: inout ConformanceLog) async {
        let check = "pattern collection"
        do {
            let found = try await store.allRecords(in: Self.collection, where: ColumnMatch(column: "phone", values: [.text("0612345678")]))
            log.expect(found.count == 1, check, "expected 1 voicemail, got \(found.count)")
            log.expect(found.first?["path"] == .text("voicemail/0612345678_20260101T090000.wav"), check, "wrong path")
            log.expect(found.first?["received"] == .text("20260101T090000"), check, "placeholder value not captured")
            let hostile = try await store.allRecords(in: Self.collection, where: ColumnMatch(column: "phone", values: [.text("%"), .text("'; --")]))
            log.expect(hostile.isEmpty, check, "hostile values matched files")
            let all = try await store.allRecords(in: Self.collection,
                                                 where: ColumnMatch(column: "phone", values: [.text("0612345678"), .text("0021698123456")]))
            log.expect(all.count == 2, check, "a file not matching the pattern was returned, or one was missed (\(all.count))")
        } catch {
            log.record(error, check)
        }
    }

    private func checkLinkedFiles(_ store: any FileStore, _ log: inout ConformanceLog) async {
        let check = "linked files"
        do {
            for (path, contents) in Self.files {
                guard let file = try await store.file(at: path) else {
                    log.failures.append(ConformanceFailure(check: check, message: "a file present in the fixture was not found"))
                    continue
                }
                log.expect(file.size == Int64(contents.count), check, "size \(file.size) instead of \(contents.count)")
                var bytes = Data()
                try await store.read(file, chunkSize: 65_536) { bytes.append(contentsOf: $0) }
                log.expect(bytes == contents, check, "bytes read differ from the file")
            }
            log.expect(try await store.file(at: "calls/missing.wav") == nil, check, "a missing file must be nil")
        } catch {
            log.record(error, check)
        }
    }
}
