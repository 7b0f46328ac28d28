import Foundation
import Testing

/// `dsar erase --batch` erases subjects in groups (one ledger write and one store transaction
/// per collection for the group): it must leave exactly what one subject at a time leaves,
/// survive being killed at any group mark, and isolate a subject whose step fails.
@Suite("dsar erase --batch in groups")
struct EraseGroupedTests {
    /// Every customer of the small example by id, Amel also by email, the household line
    /// (shared by Amel and Youssef, so its subject and theirs meet), and a subject found nowhere.
    static let subjects = (1...12).map { "customer_id:\($0)" }
        + [ErasureFixture.amel, "phone:01 45 67 89 10", "email:nobody@example.org"]

    func writeBatch(_ fixture: ErasureFixture, _ lines: [String] = subjects) throws -> URL {
        let batch = fixture.directory.appendingPathComponent("subjects.csv")
        try lines.joined(separator: "\n").write(to: batch, atomically: true, encoding: .utf8)
        return batch
    }

    /// The data as a user would compare it: every table dumped as SQL, every file with its bytes.
    static func state(_ fixture: ErasureFixture) throws -> (dump: String, files: [String: Data]) {
        (try fixture.sqlite(".dump"), try fixture.allFiles())
    }

    func outcomeRecords(_ url: URL) throws -> [[String: Any]] {
        try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map {
            try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] ?? [:]
        }
    }

    /// A certificate without what differs between any two runs (ids, times, keys, the audit head).
    func certificateFacts(_ fixture: ErasureFixture, _ requestID: String) throws -> [String: String] {
        let export = try fixture.dsar(["certificate", "export", requestID])
        let json = try JSONSerialization.jsonObject(with: Data(export.stdout.utf8)) as? [String: Any] ?? [:]
        var facts: [String: String] = [:]
        for (key, value) in json where !["requestID", "issuedAt", "auditHead", "signature", "publicKey"].contains(key) {
            facts[key] = String(decoding: try JSONSerialization.data(withJSONObject: ["v": value], options: .sortedKeys), as: UTF8.self)
        }
        return facts
    }

    /// Per line of the batch: status, counts and certificate facts.
    func outcomesByLine(_ fixture: ErasureFixture, _ outcomes: URL) throws -> [Int: [String: String]] {
        var byLine: [Int: [String: String]] = [:]
        for record in try outcomeRecords(outcomes) {
            let line = record["line"] as? Int ?? 0
            var facts = ["status": "\(record["status"] ?? "")", "deleted": "\(record["deleted"] ?? "")",
                         "masked": "\(record["masked"] ?? "")", "held": "\(record["held"] ?? "")",
                         "filesDeleted": "\(record["filesDeleted"] ?? "")"]
            if let id = record["requestID"] as? String, record["status"] as? String != "failed" {
                for (key, value) in try certificateFacts(fixture, id) { facts["certificate." + key] = value }
            }
            byLine[line] = facts
        }
        return byLine
    }

    /// What one subject at a time (`--group-size 1`) leaves of the batch above.
    static let oneByOne: (dump: String, files: [String: Data]) = {
        do {
            let fixture = try ErasureFixture.make()
            let batch = fixture.directory.appendingPathComponent("subjects.csv")
            try subjects.joined(separator: "\n").write(to: batch, atomically: true, encoding: .utf8)
            let run = try fixture.dsar(["erase", "--batch", batch.path, "--execute", "--group-size", "1"])
            precondition(run.status == 0, "the one-by-one batch failed")
            return try state(fixture)
        } catch {
            fatalError("the one-by-one batch could not run: \(error)")
        }
    }()

    @Test("A grouped batch and one subject at a time leave the same data, byte for byte, and equivalent certificates")
    func equivalentToOneByOne() throws {
        let grouped = try ErasureFixture.make(), single = try ErasureFixture.make()
        let before = try Self.state(grouped)
        let groupedOutcomes = grouped.directory.appendingPathComponent("outcomes.jsonl")
        let singleOutcomes = single.directory.appendingPathComponent("outcomes.jsonl")
        let a = try grouped.dsar(["erase", "--batch", try writeBatch(grouped).path, "--execute", "--outcomes", groupedOutcomes.path])
        let b = try single.dsar(["erase", "--batch", try writeBatch(single).path, "--execute", "--outcomes", singleOutcomes.path,
                                 "--group-size", "1"])
        #expect(a.status == 0, "\(a.stderr)")
        #expect(b.status == 0, "\(b.stderr)")
        let (groupedState, singleState) = (try Self.state(grouped), try Self.state(single))
        // Compared as booleans: a failure never prints rows or file names (they hold personal data).
        let (changed, sameRows, sameFiles) = (groupedState.dump != before.dump, groupedState.dump == singleState.dump,
                                              groupedState.files == singleState.files)
        #expect(changed, "the batch erased something")
        #expect(sameRows, "the databases differ")
        #expect(sameFiles, "the recording folders differ")
        let (groupedLines, singleLines) = (try outcomesByLine(grouped, groupedOutcomes), try outcomesByLine(single, singleOutcomes))
        #expect(groupedLines.count == Self.subjects.count)
        #expect(Set(groupedLines.keys) == Set(singleLines.keys))
        for line in groupedLines.keys.sorted() {
            let same = groupedLines[line] == singleLines[line]
            #expect(same, "line \(line): outcome or certificate differs")
        }
        #expect(groupedLines.values.contains { $0["certificate.verification"]?.contains("complete") == true })
    }

    @Test("The grouped batch journals each group's plans and steps in single ledger writes: far fewer transactions than subjects × steps")
    func groupedWrites() throws {
        let fixture = try ErasureFixture.make()
        let output = try fixture.dsar(["erase", "--batch", try writeBatch(fixture).path, "--execute"])
        #expect(output.status == 0, "\(output.stderr)")
        // One run (and one certificate) per subject found; every step of every run marked done.
        let ledger = fixture.ledger.path
        func count(_ sql: String) throws -> Int { Int(try sqlite(ledger, sql)) ?? -1 }
        #expect(try count("SELECT count(*) FROM runs WHERE status = 'completed' AND certificate IS NOT NULL") == Self.subjects.count)
        #expect(try count("SELECT count(*) FROM steps WHERE status <> 'done'") == 0)
        // The audit log says, per run, what one subject at a time says: planned, each step, verified.
        #expect(try count("SELECT count(*) FROM audit WHERE event = 'step.done'") == (try count("SELECT count(*) FROM steps")))
        let audit = try fixture.dsar(["audit", "verify"])
        #expect(audit.status == 0 && audit.stdout.contains("intact"), "\(audit.stdout)")
    }

    @Test("A grouped batch killed (SIGKILL) at every group mark, before and after the journal, then --resume: the same end state as one uninterrupted run")
    func killedAtEveryMark() throws {
        var k = 1
        var killedRuns = 0
        while k <= 40 {
            var finished = false
            for stage in ["journal", "change"] {
                let fixture = try ErasureFixture.make()
                let batch = try writeBatch(fixture)
                let outcomes = fixture.directory.appendingPathComponent("outcomes.jsonl")
                let killed = try fixture.harness(["erase", "--batch", batch.path, "--execute", "--outcomes", outcomes.path],
                                                 environment: ["DSAR_FAULT_KILL_AFTER_STEP": "\(k)", "DSAR_FAULT_KILL_STAGE": stage])
                if killed.status != SIGKILL {
                    // Fewer than k group marks: the batch ran to its end.
                    #expect(killed.status == 0, "k=\(k) \(stage): \(killed.stderr)")
                    finished = true
                    continue
                }
                killedRuns += 1
                let resumed = try fixture.dsar(["erase", "--resume"])
                #expect(resumed.status == 0, "k=\(k) \(stage): \(resumed.stderr)")
                let state = try Self.state(fixture)
                let (sameRows, sameFiles) = (state.dump == Self.oneByOne.dump, state.files == Self.oneByOne.files)
                #expect(sameRows, "k=\(k) \(stage): the rows differ from an uninterrupted run")
                #expect(sameFiles, "k=\(k) \(stage): the files differ from an uninterrupted run")
                try expectOneCertificatePerSubject(fixture, outcomes: outcomes, "k=\(k) \(stage)")
            }
            if finished { break }
            k += 1
        }
        #expect(killedRuns >= 4, "the batch was killed at its group marks (\(killedRuns) kills)")
    }

    func expectOneCertificatePerSubject(_ fixture: ErasureFixture, outcomes: URL, _ label: String) throws {
        let ledger = fixture.ledger.path
        #expect(try sqlite(ledger, "SELECT count(*) FROM runs WHERE status = 'completed' AND certificate IS NOT NULL")
                == "\(Self.subjects.count)", "\(label): one certificate per subject")
        #expect(try sqlite(ledger, "SELECT count(*) FROM runs WHERE status <> 'completed'") == "0", "\(label)")
        let records = try outcomeRecords(outcomes)
        #expect(records.compactMap { $0["line"] as? Int }.sorted() == Array(1...Self.subjects.count), "\(label): one line per subject")
        // No orphan: every recording row has its file, every recording file its row.
        let paths = Set(try fixture.sqlite("SELECT path FROM recordings").split(separator: "\n").map { String($0.dropFirst().dropLast()) })
        let noOrphan = paths == Set(try fixture.allFiles().keys.filter { !$0.hasPrefix("voicemail/") })
        #expect(noOrphan, "\(label): orphaned rows or files")
        let audit = try fixture.dsar(["audit", "verify"])
        #expect(audit.status == 0, "\(label): \(audit.stdout)")
    }

    @Test("A subject whose step fails inside a group is isolated: the others complete, it is reported failed, and --resume finishes it once the obstacle is gone")
    func failingSubjectIsolated() throws {
        let fixture = try ErasureFixture.make()
        // Customer 5's row is referenced by a table the catalog does not declare: deleting it fails.
        _ = try fixture.sqlite("""
            CREATE TABLE sessions (id INTEGER PRIMARY KEY, customer_id INTEGER REFERENCES customers(id));
            INSERT INTO sessions VALUES (1, 5);
            DELETE FROM recording_consents WHERE customer_id = 5;
            """)
        let lines = (3...9).map { "customer_id:\($0)" }
        let outcomes = fixture.directory.appendingPathComponent("outcomes.jsonl")
        let output = try fixture.dsar(["erase", "--batch", try writeBatch(fixture, lines).path, "--execute", "--outcomes", outcomes.path])
        #expect(output.status != 0)
        #expect(output.stdout.contains("7 subjects, 6 completed, 0 incomplete, 1 failed"), "\(output.stdout)")
        let records = try outcomeRecords(outcomes)
        #expect(records.map { $0["line"] as? Int } == Array(1...7).map { $0 }, "outcome lines in batch order")
        #expect(records[2]["status"] as? String == "failed" && (records[2]["error"] as? String)?.contains("sessions.customer_id") == true)
        #expect(records.enumerated().allSatisfy { $0.offset == 2 || $0.element["status"] as? String == "completed" })
        #expect(try fixture.sqlite("SELECT count(*) FROM customers WHERE id = 5") == "1", "the failing subject's change was rolled back")
        #expect(try fixture.sqlite("SELECT count(*) FROM customers WHERE id IN (3, 4, 6, 7, 8, 9) AND id NOT IN (SELECT customer_id FROM recording_consents)")
                == "0", "the others were erased")
        #expect(try sqlite(fixture.ledger.path, "SELECT count(*) FROM runs WHERE status = 'executing'") == "1", "its run is resumable")
        _ = try fixture.sqlite("DELETE FROM sessions")
        let resumed = try fixture.dsar(["erase", "--resume"])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(try fixture.sqlite("SELECT count(*) FROM customers WHERE id = 5") == "0")
        #expect(try sqlite(fixture.ledger.path, "SELECT count(*) FROM runs WHERE status <> 'completed'") == "0")
    }

    @Test("--group-size must be at least 1")
    func groupSizeValidated() throws {
        let fixture = try ErasureFixture.make()
        let output = try fixture.dsar(["erase", "--batch", try writeBatch(fixture).path, "--execute", "--group-size", "0"])
        #expect(output.status != 0 && output.stderr.contains("--group-size"), "\(output.stderr)")
    }

    func sqlite(_ database: String, _ sql: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        process.arguments = [database, sql]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
