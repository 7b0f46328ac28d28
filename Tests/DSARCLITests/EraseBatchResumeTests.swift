import Foundation
import Testing

/// A batch is a job: killed mid-way, `dsar erase --resume` finishes it; run again, it skips
/// what is done. Either way every subject is erased once and the outcome file is complete.
@Suite("dsar erase --batch is resumable")
struct EraseBatchResumeTests {
    static let subjects = (3...8).map { "customer_id:\($0)" }

    func ledger(_ fixture: ErasureFixture, _ sql: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        process.arguments = [fixture.directory.appendingPathComponent(".dsar/ledger.sqlite").path, sql]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func outcomeRecords(_ url: URL) throws -> [[String: Any]] {
        try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map {
            try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] ?? [:]
        }
    }

    /// Which rows of every table are left: after a batch that was killed and finished, exactly
    /// those an uninterrupted run of the same batch leaves (a customer row still referenced by a
    /// retained consent stays, by design).
    static func rowsLeft(_ fixture: ErasureFixture) throws -> String {
        try ["customers", "recording_consents", "calls", "recordings"].map {
            "\($0): " + (try fixture.sqlite("SELECT rowid FROM \($0) ORDER BY rowid")).split(separator: "\n").joined(separator: ",")
        }.joined(separator: "\n")
    }

    /// The rows an uninterrupted `dsar erase --batch` of the six subjects leaves.
    static let uninterrupted: String = {
        do {
            let fixture = try ErasureFixture.make()
            let batch = fixture.directory.appendingPathComponent("subjects.csv")
            try subjects.joined(separator: "\n").write(to: batch, atomically: true, encoding: .utf8)
            let run = try fixture.dsar(["erase", "--batch", batch.path, "--execute"])
            precondition(run.status == 0, "the reference batch failed")
            return try rowsLeft(fixture)
        } catch {
            fatalError("the reference batch could not run: \(error)")
        }
    }()

    /// Every subject of the batch erased, by exactly one completed run each, and nobody else touched.
    func expectBatchErasedOnce(_ fixture: ErasureFixture, othersBefore: String, outcomes: URL, _ label: String) throws {
        #expect(try Self.rowsLeft(fixture) == Self.uninterrupted, "\(label): the same rows left as an uninterrupted batch")
        #expect(try fixture.sqlite("SELECT * FROM customers WHERE id NOT BETWEEN 3 AND 8 ORDER BY id") == othersBefore, "\(label)")
        #expect(try ledger(fixture, "SELECT count(*) FROM runs WHERE status = 'completed' AND certificate IS NOT NULL") == "6",
                "\(label): one certificate per subject")
        #expect(try ledger(fixture, "SELECT count(*) FROM runs WHERE status <> 'completed'") == "0", "\(label)")
        let records = try outcomeRecords(outcomes)
        #expect(records.count == 6, "\(label): one outcome line per subject")
        #expect(records.compactMap { $0["line"] as? Int }.sorted() == Array(1...6), "\(label)")
        #expect(records.allSatisfy { $0["status"] as? String == "completed" }, "\(label)")
        let runs = Set(try ledger(fixture, "SELECT id FROM runs").split(separator: "\n").map(String.init))
        #expect(Set(records.compactMap { $0["requestID"] as? String }) == runs, "\(label): outcome lines name the runs")
        let audit = try fixture.dsar(["audit", "verify"])
        #expect(audit.status == 0 && audit.stdout.contains("intact"), "\(label)")
    }

    @Test("A batch killed after step k (one subject at a time: in the first subject and in the middle ones; grouped: after the group's k-th mark), then --resume: every subject erased once, outcome file complete")
    func killedThenResumed() throws {
        for (k, groupSize) in [(1, 1), (2, 1), (5, 1), (9, 1), (1, 200), (2, 200), (4, 200)] {
            let fixture = try ErasureFixture.make()
            let othersBefore = try fixture.sqlite("SELECT * FROM customers WHERE id NOT BETWEEN 3 AND 8 ORDER BY id")
            let batch = fixture.directory.appendingPathComponent("subjects.csv")
            try Self.subjects.joined(separator: "\n").write(to: batch, atomically: true, encoding: .utf8)
            let outcomes = fixture.directory.appendingPathComponent("outcomes.jsonl")
            let killed = try fixture.harness(["erase", "--batch", batch.path, "--execute", "--outcomes", outcomes.path,
                                              "--group-size", "\(groupSize)"],
                                             environment: ["DSAR_FAULT_KILL_AFTER_STEP": "\(k)"])
            #expect(killed.status == SIGKILL, "k=\(k) group \(groupSize): \(killed.stderr)")
            // Killed mid-way: runs are left unfinished (a grouped batch's masks leave the rows' ids as they are).
            #expect(try ledger(fixture, "SELECT count(*) FROM runs WHERE status = 'executing'") != "0", "k=\(k) group \(groupSize): killed mid-way")
            if groupSize == 1 { #expect(try Self.rowsLeft(fixture) != Self.uninterrupted, "k=\(k): killed mid-way") }
            let resumed = try fixture.dsar(["erase", "--resume"])
            #expect(resumed.status == 0, "k=\(k): \(resumed.stderr)")
            try expectBatchErasedOnce(fixture, othersBefore: othersBefore, outcomes: outcomes, "k=\(k)")
            #expect(!resumed.stdout.contains("@"), "no identifier in clear")
        }
    }

    @Test("The same batch run again after it finished skips every subject, and still writes a complete outcome file")
    func rerunSkipsDone() throws {
        let fixture = try ErasureFixture.make()
        let othersBefore = try fixture.sqlite("SELECT * FROM customers WHERE id NOT BETWEEN 3 AND 8 ORDER BY id")
        let batch = fixture.directory.appendingPathComponent("subjects.csv")
        try Self.subjects.joined(separator: "\n").write(to: batch, atomically: true, encoding: .utf8)
        let outcomes = fixture.directory.appendingPathComponent("outcomes.jsonl")
        let first = try fixture.dsar(["erase", "--batch", batch.path, "--execute", "--outcomes", outcomes.path])
        #expect(first.status == 0, "\(first.stderr)")
        let again = fixture.directory.appendingPathComponent("again.jsonl")
        let second = try fixture.dsar(["erase", "--batch", batch.path, "--execute", "--outcomes", again.path])
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.stdout.contains("6 already erased"), "\(second.stdout)")
        try expectBatchErasedOnce(fixture, othersBefore: othersBefore, outcomes: again, "re-run")
        #expect(try ledger(fixture, "SELECT count(*) FROM runs") == "6", "no subject erased twice")
    }

    @Test("A batch killed, resumed, then run again with the same file: nobody is erased twice and the outcome file stays complete")
    func killedThenRerun() throws {
        let fixture = try ErasureFixture.make()
        let othersBefore = try fixture.sqlite("SELECT * FROM customers WHERE id NOT BETWEEN 3 AND 8 ORDER BY id")
        let batch = fixture.directory.appendingPathComponent("subjects.csv")
        try Self.subjects.joined(separator: "\n").write(to: batch, atomically: true, encoding: .utf8)
        let outcomes = fixture.directory.appendingPathComponent("outcomes.jsonl")
        let killed = try fixture.harness(["erase", "--batch", batch.path, "--execute", "--outcomes", outcomes.path, "--group-size", "1"],
                                         environment: ["DSAR_FAULT_KILL_AFTER_STEP": "5"])
        #expect(killed.status == SIGKILL, "\(killed.stderr)")
        #expect(try fixture.dsar(["erase", "--resume"]).status == 0)
        let again = try fixture.dsar(["erase", "--batch", batch.path, "--execute", "--outcomes", outcomes.path])
        #expect(again.status == 0, "\(again.stderr)")
        try expectBatchErasedOnce(fixture, othersBefore: othersBefore, outcomes: outcomes, "resumed then re-run")
    }

    @Test("Subjects whose identifiers cannot be recovered are counted as never started, and re-running the batch file erases them")
    func identifiersLost() throws {
        let fixture = try ErasureFixture.make()
        let othersBefore = try fixture.sqlite("SELECT * FROM customers WHERE id NOT BETWEEN 3 AND 8 ORDER BY id")
        let batch = fixture.directory.appendingPathComponent("subjects.csv")
        try Self.subjects.joined(separator: "\n").write(to: batch, atomically: true, encoding: .utf8)
        let outcomes = fixture.directory.appendingPathComponent("outcomes.jsonl")
        // One subject at a time: killed in the first subject, the five others never started.
        let killed = try fixture.harness(["erase", "--batch", batch.path, "--execute", "--outcomes", outcomes.path, "--group-size", "1"],
                                         environment: ["DSAR_FAULT_KILL_AFTER_STEP": "1"])
        #expect(killed.status == SIGKILL, "\(killed.stderr)")
        // The key that encrypts the subjects' identifiers is replaced: they cannot be read back.
        let key = fixture.directory.appendingPathComponent(".dsar/requests.key")
        try Data(count: 32).base64EncodedString().write(to: key, atomically: true, encoding: .utf8)
        let resumed = try fixture.dsar(["erase", "--resume"])
        #expect(resumed.status != 0)
        #expect(resumed.stderr.contains("5 subjects of batch") && resumed.stderr.contains("never started"), "\(resumed.stderr)")
        #expect(resumed.stderr.contains("--batch \(batch.path) --execute"), "says how to continue: \(resumed.stderr)")
        #expect(try Self.rowsLeft(fixture) != Self.uninterrupted, "only the first subject is erased")
        let again = try fixture.dsar(["erase", "--batch", batch.path, "--execute", "--outcomes", outcomes.path])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stdout.contains("1 already erased"), "\(again.stdout)")
        try expectBatchErasedOnce(fixture, othersBefore: othersBefore, outcomes: outcomes, "re-run after lost identifiers")
    }
}
