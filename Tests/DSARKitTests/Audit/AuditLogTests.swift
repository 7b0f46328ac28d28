import DSARKit
import Foundation
import GRDB
import Testing

/// What someone who can write the ledger file, but does not hold its key files, can do to
/// the audit log, and what `verifyAudit()` then says.
@Suite("Audit log")
struct AuditLogTests {
    private func ledger(entries: Int = 5) throws -> Ledger {
        let ledger = try Ledger(url: try ExampleData.temporaryFolder().appendingPathComponent("ledger.sqlite"))
        for number in 1...entries { try ledger.audit(runID: "R-\(number)", event: "test.entry", detail: "entry \(number)") }
        return ledger
    }

    private func anchor(_ ledger: Ledger) -> URL { ledger.folder.appendingPathComponent("audit.head") }

    /// Rewrites every entry's links and hashes with plain SHA-256, as a tool without the key would.
    private func rechain(_ ledger: Ledger) throws {
        let queue = try DatabaseQueue(path: ledger.url.path)
        try queue.write { db in
            var previous = String(repeating: "0", count: 64)
            for row in try Row.fetchAll(db, sql: "SELECT * FROM audit ORDER BY seq") {
                let seq: Int64 = row["seq"]
                let fields = [String(seq), row["at"], row["run_id"] ?? "", row["event"], row["detail"], previous]
                let hash = try Self.sha256(fields.joined(separator: "\u{1f}"))
                try db.execute(sql: "UPDATE audit SET previous_hash = ?, hash = ? WHERE seq = ?", arguments: [previous, hash, seq])
                previous = hash
            }
        }
    }

    private func newest(_ ledger: Ledger) throws -> (Int64, String) {
        let last = try #require(try ledger.auditEntries().last)
        return (last.sequence, last.hash)
    }

    static func sha256(_ text: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        input.fileHandleForWriting.write(Data(text.utf8))
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(String(decoding: data, as: UTF8.self).prefix(64))
    }

    @Test("An untouched log, its anchor beside it, is intact")
    func untouched() throws {
        let ledger = try ledger()
        let result = try ledger.verifyAudit()
        #expect(result.isIntact, "\(result.problems)")
        #expect(result.entries == 5)
    }

    @Test("Cutting off the newest entries and deleting audit.head with them is detected")
    func truncatedWithoutAnchor() throws {
        let ledger = try ledger()
        try DatabaseQueue(path: ledger.url.path).write { try $0.execute(sql: "DELETE FROM audit WHERE seq > 3") }
        try FileManager.default.removeItem(at: anchor(ledger))
        let result = try ledger.verifyAudit()
        #expect(!result.isIntact)
        #expect(result.problems.contains { $0.contains("audit.head") && $0.contains("missing") }, "\(result.problems)")
    }

    @Test("Cutting off the newest entries and writing audit.head for the new newest entry is detected")
    func truncatedWithForgedAnchor() throws {
        let ledger = try ledger()
        try DatabaseQueue(path: ledger.url.path).write { try $0.execute(sql: "DELETE FROM audit WHERE seq > 3") }
        let (sequence, hash) = try newest(ledger)
        try "\(sequence) \(hash)\n".write(to: anchor(ledger), atomically: true, encoding: .utf8)
        #expect(!(try ledger.verifyAudit().isIntact))
        let sealed = try String(contentsOf: anchor(ledger), encoding: .utf8)
        try "\(sequence) \(hash) \(String(repeating: "a", count: 64))\n".write(to: anchor(ledger), atomically: true, encoding: .utf8)
        #expect(!(try ledger.verifyAudit().isIntact), "\(sealed)")
    }

    @Test("A log re-chained with plain SHA-256 is detected, with its anchor rewritten or deleted")
    func rechained() throws {
        let ledger = try ledger()
        try DatabaseQueue(path: ledger.url.path).write { try $0.execute(sql: "UPDATE audit SET detail = 'nothing happened' WHERE seq = 2") }
        try rechain(ledger)
        let (sequence, hash) = try newest(ledger)
        try "\(sequence) \(hash)\n".write(to: anchor(ledger), atomically: true, encoding: .utf8)
        let rewritten = try ledger.verifyAudit()
        #expect(!rewritten.isIntact)
        #expect(rewritten.problems.contains { $0.contains("key") }, "\(rewritten.problems)")
        try FileManager.default.removeItem(at: anchor(ledger))
        #expect(!(try ledger.verifyAudit().isIntact))
    }

    @Test("A log chained before it was keyed is reported as unkeyed, and is sealed by the next entry")
    func olderUnkeyedChain() throws {
        let ledger = try ledger(entries: 3)
        try rechain(ledger)
        let (sequence, hash) = try newest(ledger)
        try "\(sequence) \(hash)\n".write(to: anchor(ledger), atomically: true, encoding: .utf8)
        let older = try ledger.verifyAudit()
        #expect(!older.isIntact)
        #expect(older.problems.contains { $0.contains("entries 1–3") && $0.contains("older unkeyed chain") }, "\(older.problems)")
        try ledger.audit(runID: nil, event: "test.entry", detail: "entry 4")
        let sealed = try ledger.verifyAudit()
        #expect(sealed.isIntact, "\(sealed.problems)")
    }
}
