import CallCenterExample
import Foundation
import Testing

/// A call-centre data set with a signing key, and what to compare before and after erasing
/// Amel (customer 1): her rows and files, and everyone else's. The copy is deleted when the
/// fixture goes away.
final class ErasureFixture: Sendable {
    let directory: URL

    init(directory: URL) { self.directory = directory }

    deinit { try? FileManager.default.removeItem(at: directory) }
    var catalog: String { directory.appendingPathComponent("dsar.yaml").path }
    var database: URL { directory.appendingPathComponent("data/crm.sqlite") }
    var recordings: URL { directory.appendingPathComponent("data/recordings") }
    var ledger: URL { directory.appendingPathComponent(".dsar/ledger.sqlite") }

    static let amel = "email:amel.benali@example.tn"
    static let amelVoicemail = "voicemail/0021698123456_20260402T090000.wav"

    /// Generated once per test process (static lets initialise once, thread-safely) and
    /// copied for each use: copies are cheap.
    static let small = pristine(customers: 12)
    static let large = pristine(customers: 1000)

    private static func pristine(customers: Int) -> URL {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("dsar-erase-pristine-\(ProcessInfo.processInfo.processIdentifier)-\(customers)")
        do {
            try CallCenterDataSet.generate(into: folder, customers: customers)
            let keys = try CLI.run(["keys", "generate", "--force", "--catalog", folder.appendingPathComponent("dsar.yaml").path])
            precondition(keys.status == 0, keys.stderr)
        } catch {
            fatalError("the erasure fixture could not be generated: \(error)")
        }
        return folder
    }

    static func make(large: Bool = false, _ name: String = #function) throws -> ErasureFixture {
        let copy = FileManager.default.temporaryDirectory
            .appendingPathComponent("dsar-erase-\(UUID().uuidString.prefix(8))-\(name.filter(\.isLetter).prefix(20))")
        try FileManager.default.copyItem(at: large ? Self.large : Self.small, to: copy)
        return ErasureFixture(directory: copy)
    }

    func dsar(_ arguments: [String], environment: [String: String] = [:]) throws -> CLI.Output {
        try CLI.run(arguments + ["--catalog", catalog], environment: environment)
    }

    /// The same command run by the test-only fault harness, with its crash and clock settings.
    func harness(_ arguments: [String], environment: [String: String]) throws -> CLI.Output {
        try CLI.launch(CLI.harness, arguments + ["--catalog", catalog], environment: environment)
    }

    /// Rows of every table that erasing Amel must not change (everything but her customer
    /// row, her calls and her erasable recordings), quoted byte for byte.
    func othersRows() throws -> String {
        try sqlite("""
            SELECT 'customers', * FROM customers WHERE id <> 1 ORDER BY id;
            SELECT 'consents', * FROM recording_consents ORDER BY id;
            SELECT 'calls', * FROM calls WHERE id NOT IN (1, 2, 3, 4) ORDER BY id;
            SELECT 'recordings', * FROM recordings WHERE id NOT IN (1, 3, 4) ORDER BY id;
            """)
    }

    /// Every file but Amel's recordings 1, 3, 4 and her voicemail, with its bytes.
    func othersFiles(excluding: Set<String>) throws -> [String: Data] {
        try allFiles().filter { !excluding.contains($0.key) }
    }

    func allFiles() throws -> [String: Data] {
        var files: [String: Data] = [:]
        let root = recordings.resolvingSymlinksInPath().path
        let enumerator = FileManager.default.enumerator(atPath: root)
        while let path = enumerator?.nextObject() as? String {
            var isDirectory: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: root + "/" + path, isDirectory: &isDirectory)
            if !isDirectory.boolValue { files[path] = try Data(contentsOf: URL(fileURLWithPath: root + "/" + path)) }
        }
        return files
    }

    /// Paths of Amel's erasable recordings (1, 3, 4).
    func amelRecordingPaths() throws -> Set<String> {
        Set(try sqlite("SELECT path FROM recordings WHERE id IN (1, 3, 4)").split(separator: "\n").map { String($0.dropFirst().dropLast()) })
    }

    func sqlite(_ sql: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        process.arguments = ["-cmd", ".mode quote", database.path, sql]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Asserts that Amel is erased (but for the held recording, the retained consents and her
    /// customer row they still reference), nothing else changed, no recording is orphaned, and
    /// certificate and audit chain check out.
    func expectAmelErased(before: (rows: String, files: [String: Data], excluded: Set<String>),
                          certificate: String? = nil, sourceLocation: SourceLocation = #_sourceLocation) throws {
        #expect(try sqlite("SELECT count(*) FROM customers WHERE id = 1") == "1", sourceLocation: sourceLocation)
        #expect(try sqlite("SELECT id FROM recordings WHERE id IN (1, 2, 3, 4)") == "2", sourceLocation: sourceLocation)
        #expect(try sqlite("SELECT count(*) FROM recording_consents WHERE customer_id = 1") == "2", sourceLocation: sourceLocation)
        let calls = try sqlite("SELECT caller_number, agent_notes FROM calls WHERE id IN (1, 2, 3, 4)").split(separator: "\n")
        #expect(calls.count == 4, sourceLocation: sourceLocation)
        for call in calls {
            let parts = call.split(separator: ",")
            #expect(parts.count == 2 && parts[0].count == 66 && parts[1] == "NULL", "\(call)", sourceLocation: sourceLocation)
            #expect(!call.contains("98123456"), sourceLocation: sourceLocation)
        }
        let files = try allFiles()
        for path in before.excluded { #expect(files[path] == nil, "an erased file remains", sourceLocation: sourceLocation) }
        #expect(try othersRows() == before.rows, "other rows changed", sourceLocation: sourceLocation)
        #expect(files.filter { !before.excluded.contains($0.key) } == before.files, "other files changed", sourceLocation: sourceLocation)
        // No orphans: every recording row has its file, every recording file has its row.
        let paths = Set(try sqlite("SELECT path FROM recordings").split(separator: "\n").map { String($0.dropFirst().dropLast()) })
        let recordingFiles = Set(files.keys.filter { !$0.hasPrefix("voicemail/") })
        #expect(paths == recordingFiles, "orphaned rows or files", sourceLocation: sourceLocation)
        if let certificate {
            let check = try dsar(["certificate", "verify", certificate])
            #expect(check.status == 0, "\(check.stderr)", sourceLocation: sourceLocation)
            #expect(check.stdout.contains("verification complete"), sourceLocation: sourceLocation)
        }
        let audit = try dsar(["audit", "verify"])
        #expect(audit.status == 0, "\(audit.stderr)", sourceLocation: sourceLocation)
    }

    func snapshot() throws -> (rows: String, files: [String: Data], excluded: Set<String>) {
        let excluded = try amelRecordingPaths().union([Self.amelVoicemail])
        return (try othersRows(), try othersFiles(excluding: excluded), excluded)
    }
}
