import Foundation
import Testing

@Suite("dsar erase")
struct EraseCommandTests {
    @Test("A dry run prints the plan per collection, writes plan JSON and changes nothing")
    func dryRun() throws {
        let fixture = try ErasureFixture.make()
        let before = try fixture.sqlite("SELECT count(*) FROM customers") + (try fixture.othersRows())
        let files = try fixture.allFiles()
        let planURL = fixture.directory.appendingPathComponent("plan.json")
        let output = try fixture.dsar(["erase", "--subject", ErasureFixture.amel, "--dry-run", "--plan-out", planURL.path])
        #expect(output.status == 0, "\(output.stderr)")
        #expect(output.stdout.contains("keep id=1: still referenced by consents["), "\(output.stdout)")
        #expect(output.stdout.contains("mask 4 (agent_notes → null, caller_number → hash)"))
        #expect(output.stdout.contains("hold id=2 until 2031-03-15: Investment-order call"))
        #expect(output.stdout.contains("retain 2"))
        #expect(output.stdout.contains("Nothing was changed."))
        let plan = try JSONSerialization.jsonObject(with: Data(contentsOf: planURL)) as? [String: Any]
        #expect((plan?["steps"] as? [Any])?.count == 6)
        #expect(try fixture.sqlite("SELECT count(*) FROM customers") + (try fixture.othersRows()) == before)
        #expect(try fixture.allFiles() == files)
    }

    @Test("A dry run says why rows under a held customer are kept: with that customer, which is under a legal hold")
    func heldParent() throws {
        let fixture = try ErasureFixture.make()
        let catalog = try String(contentsOfFile: fixture.catalog, encoding: .utf8)
            .replacingOccurrences(of: "  customers:\n    store: crm\n", with: "  customers:\n    store: crm\n    hold: { when: { id: 1 }, reason: Litigation in progress }\n")
        try catalog.write(toFile: fixture.catalog, atomically: true, encoding: .utf8)
        let output = try fixture.dsar(["erase", "--subject", ErasureFixture.amel, "--dry-run"])
        #expect(output.status == 0, "\(output.stderr)")
        #expect(output.stdout.contains("hold id=1: Litigation in progress\n"), "\(output.stdout)")
        let calls = try #require(output.stdout.components(separatedBy: "\ncalls (crm)\n").dropFirst().first)
        #expect(calls.contains(": kept with customers[id=1], which is under a legal hold (Litigation in progress)"), "\(output.stdout)")
    }

    @Test("A recording missing from its folder keeps its row: the plan says so, and the erasure is INCOMPLETE naming the record")
    func missingRecording() throws {
        let fixture = try ErasureFixture.make()
        let path = try #require(try fixture.sqlite("SELECT path FROM recordings WHERE id = 1").split(separator: "'").first.map(String.init))
        try FileManager.default.removeItem(at: fixture.recordings.appendingPathComponent(path))
        let dryRun = try fixture.dsar(["erase", "--subject", ErasureFixture.amel, "--dry-run"])
        #expect(dryRun.status == 0, "\(dryRun.stderr)")
        #expect(dryRun.stdout.contains("keep 1, linked file missing or unreadable (the erasure will be incomplete): id=1"), "\(dryRun.stdout)")
        let output = try fixture.dsar(["erase", "--subject", ErasureFixture.amel, "--execute"])
        #expect(output.stdout.contains("INCOMPLETE"), "\(output.stdout)")
        #expect(output.stdout.contains("recordings[id=1] (kept: its linked file is missing or cannot be read)"), "\(output.stdout)")
        #expect(try fixture.sqlite("SELECT id FROM recordings WHERE id IN (1, 2, 3, 4)") == "1\n2")
    }

    @Test("A full erasure leaves only the held recording, the retained consents with the customer row they reference, and masked calls; others untouched")
    func fullErasure() throws {
        let fixture = try ErasureFixture.make()
        let before = try fixture.snapshot()
        let certificate = fixture.directory.appendingPathComponent("cert.json").path
        let output = try fixture.dsar(["erase", "--subject", ErasureFixture.amel, "--execute", "--certificate", certificate])
        #expect(output.status == 0, "\(output.stderr)")
        #expect(output.stdout.contains("complete"))
        try fixture.expectAmelErased(before: before, certificate: certificate)
        let text = try String(contentsOfFile: certificate, encoding: .utf8)
        for personal in ["amel", "Amel", "98123456", "0021698", "Ben Ali"] { #expect(!text.contains(personal)) }
        #expect(text.contains("MiFID II"))
        let again = try fixture.dsar(["erase", "--resume"])
        #expect(again.stdout.contains("Nothing to resume"))
        let requestID = try #require(output.stdout.split(separator: " ").dropFirst().first.map { String($0.dropLast()) })
        let exported = fixture.directory.appendingPathComponent("exported.json").path
        #expect(try fixture.dsar(["certificate", "export", requestID, "-o", exported]).status == 0)
        #expect(try fixture.dsar(["certificate", "verify", exported]).status == 0)
    }

    @Test("Consent withdrawal erases only consent-based recordings and their files")
    func consentWithdrawal() throws {
        let fixture = try ErasureFixture.make()
        let consentRecordings = try fixture.sqlite("""
            SELECT r.id FROM recordings r JOIN calls c ON c.id = r.call_id WHERE r.id IN (1, 2, 3, 4) AND r.basis = 'consent'
            """).split(separator: "\n")
        let otherRows = try fixture.sqlite("SELECT * FROM recordings WHERE basis <> 'consent' OR id > 4 ORDER BY id")
        let customers = try fixture.sqlite("SELECT * FROM customers ORDER BY id")
        let calls = try fixture.sqlite("SELECT * FROM calls ORDER BY id")
        let wrong = try fixture.dsar(["erase", "--subject", ErasureFixture.amel, "--execute", "--only-basis", "consnet"])
        #expect(wrong.status != 0 && wrong.stderr.contains("legitimate_interest"))
        let certificate = fixture.directory.appendingPathComponent("consent.json")
        let output = try fixture.dsar(["erase", "--subject", ErasureFixture.amel, "--execute", "--only-basis", "consent",
                                       "--certificate", certificate.path])
        #expect(output.status == 0, "\(output.stderr)")
        #expect(try String(contentsOf: certificate, encoding: .utf8).contains("\"scope\" : \"consent\""))
        #expect(!consentRecordings.isEmpty)
        #expect(try fixture.sqlite("SELECT count(*) FROM recordings WHERE id IN (\(consentRecordings.joined(separator: ",")))") == "0")
        #expect(try fixture.sqlite("SELECT * FROM recordings WHERE basis <> 'consent' OR id > 4 ORDER BY id") == otherRows)
        #expect(try fixture.sqlite("SELECT * FROM customers ORDER BY id") == customers)
        #expect(try fixture.sqlite("SELECT * FROM calls ORDER BY id") == calls)
        let paths = Set(try fixture.sqlite("SELECT path FROM recordings").split(separator: "\n").map { String($0.dropFirst().dropLast()) })
        let files = Set(try fixture.allFiles().keys.filter { !$0.hasPrefix("voicemail/") })
        #expect(paths == files)
        #expect(try fixture.allFiles()[ErasureFixture.amelVoicemail] != nil)
    }

    @Test("A delete blocked by a reference the catalog does not declare names the constraint; the run resumes once it is settled")
    func blockedByUndeclaredReference() throws {
        let fixture = try ErasureFixture.make()
        _ = try fixture.sqlite("""
            CREATE TABLE sessions (id INTEGER PRIMARY KEY, customer_id INTEGER REFERENCES customers(id));
            INSERT INTO sessions VALUES (1, 1);
            DELETE FROM recording_consents WHERE customer_id = 1;
            """)
        let failed = try fixture.dsar(["erase", "--subject", ErasureFixture.amel, "--execute"])
        #expect(failed.status != 0)
        #expect(failed.stderr.contains("sessions.customer_id → customers.id"), "\(failed.stderr)")
        #expect(failed.stderr.contains("--resume"))
        #expect(!failed.stderr.contains("98123456"))
        #expect(try fixture.sqlite("SELECT count(*) FROM customers WHERE id = 1") == "1")
        let stillBlocked = try fixture.dsar(["erase", "--resume"])
        #expect(stillBlocked.status != 0 && stillBlocked.stderr.contains("sessions.customer_id"))
        _ = try fixture.sqlite("DELETE FROM sessions")
        let resumed = try fixture.dsar(["erase", "--resume"])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(try fixture.sqlite("SELECT count(*) FROM customers WHERE id = 1") == "0")
    }

    @Test("An interrupted run that cannot be finished can be abandoned, on the record")
    func abandon() throws {
        let fixture = try ErasureFixture.make()
        _ = try fixture.sqlite("""
            CREATE TABLE sessions (id INTEGER PRIMARY KEY, customer_id INTEGER REFERENCES customers(id));
            INSERT INTO sessions VALUES (1, 1);
            DELETE FROM recording_consents WHERE customer_id = 1;
            """)
        #expect(try fixture.dsar(["erase", "--subject", ErasureFixture.amel, "--execute"]).status != 0)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        process.arguments = [fixture.ledger.path, "SELECT id FROM runs WHERE status = 'executing'"]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let id = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        process.waitUntilExit()
        let abandoned = try fixture.dsar(["erase", "--abandon", id])
        #expect(abandoned.status == 0, "\(abandoned.stderr)")
        #expect(try fixture.dsar(["erase", "--resume"]).stdout.contains("Nothing to resume"))
        #expect(try fixture.dsar(["erase", "--subject", "customer_id:4", "--execute"]).status == 0)
        #expect(try fixture.dsar(["audit", "verify"]).status == 0)
    }

    @Test("A run whose data changed before it was resumed is re-planned: a new call is masked too")
    func replanOnChange() throws {
        let fixture = try ErasureFixture.make()
        let killed = try fixture.harness(["erase", "--subject", ErasureFixture.amel, "--execute"],
                                         environment: ["DSAR_FAULT_KILL_AFTER_STEP": "1"])
        #expect(killed.status != 0)
        let refused = try fixture.dsar(["erase", "--subject", "customer_id:4", "--execute"])
        #expect(refused.status != 0 && refused.stderr.contains("dsar erase --resume"), "an interrupted run is finished first")
        _ = try fixture.sqlite("""
            INSERT INTO calls (id, customer_id, caller_number, started_at, duration_s, reason, agent_notes)
            VALUES (99001, 1, '+21698123456', '2026-11-01T10:00:00Z', 60, 'billing', 'called back');
            """)
        let resumed = try fixture.dsar(["erase", "--resume"])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(resumed.stdout.contains("re-planned"))
        let call = try fixture.sqlite("SELECT caller_number, agent_notes FROM calls WHERE id = 99001")
        #expect(!call.contains("98123456") && call.hasSuffix(",NULL"), "\(call)")
        #expect(try fixture.sqlite("SELECT count(*) FROM recordings WHERE id = 1") == "0")
    }

    @Test("A tampered certificate and an edited, removed (even the newest) or reordered audit entry are detected")
    func tampering() throws {
        let fixture = try ErasureFixture.make()
        let certificate = fixture.directory.appendingPathComponent("cert.json")
        #expect(try fixture.dsar(["erase", "--subject", ErasureFixture.amel, "--execute", "--certificate", certificate.path]).status == 0)
        let text = try String(contentsOf: certificate, encoding: .utf8)
        try text.replacingOccurrences(of: "\"filesDeleted\" : 4", with: "\"filesDeleted\" : 5").write(to: certificate, atomically: true, encoding: .utf8)
        let forged = try fixture.dsar(["certificate", "verify", certificate.path])
        #expect(forged.status != 0)
        #expect(forged.stderr.contains("altered"))

        func auditAfter(_ sql: String) throws -> CLI.Output {
            let copy = fixture.directory.appendingPathComponent("tampered-\(UUID().uuidString.prefix(4)).sqlite")
            try FileManager.default.copyItem(at: fixture.ledger, to: copy)
            for suffix in ["-wal", "-shm"] where FileManager.default.fileExists(atPath: fixture.ledger.path + suffix) {
                try FileManager.default.copyItem(atPath: fixture.ledger.path + suffix, toPath: copy.path + suffix)
            }
            // The anchor of the newest entry and the key that seals the log live beside the ledger
            // database; the copy gets them too.
            for name in ["audit.head", "masking.key"] {
                let copied = fixture.directory.appendingPathComponent(name)
                if !FileManager.default.fileExists(atPath: copied.path) {
                    try FileManager.default.copyItem(at: fixture.ledger.deletingLastPathComponent().appendingPathComponent(name), to: copied)
                }
            }
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
            process.arguments = [copy.path, sql]
            try process.run()
            process.waitUntilExit()
            let yaml = try String(contentsOfFile: fixture.catalog, encoding: .utf8) + "ledger: \(copy.lastPathComponent)\n"
            let catalog = fixture.directory.appendingPathComponent("tampered-\(copy.lastPathComponent).yaml")
            try yaml.write(to: catalog, atomically: true, encoding: .utf8)
            return try CLI.run(["audit", "verify", "--catalog", catalog.path])
        }
        #expect(try auditAfter("SELECT 1").status == 0)
        #expect(try auditAfter("UPDATE audit SET detail = detail || ' ' WHERE seq = 2").status != 0)
        #expect(try auditAfter("DELETE FROM audit WHERE seq = 3").status != 0)
        let truncated = try auditAfter("DELETE FROM audit WHERE seq = (SELECT max(seq) FROM audit)")
        #expect(truncated.status != 0, "removing the newest entry must be detected")
        #expect((truncated.stdout + truncated.stderr).contains("newest entries were removed"))
        #expect(try auditAfter("UPDATE audit SET seq = seq + 100 WHERE seq = 2; UPDATE audit SET seq = 2 WHERE seq = 3; UPDATE audit SET seq = 3 WHERE seq = 102").status != 0)
    }

    @Test("A second process cannot erase with a ledger another one holds")
    func ledgerLock() throws {
        let fixture = try ErasureFixture.make()
        let descriptor = open(fixture.directory.appendingPathComponent(".dsar/erasure.lock").path, O_CREAT | O_RDWR, 0o600)
        defer { close(descriptor) }
        #expect(flock(descriptor, LOCK_EX | LOCK_NB) == 0)
        let output = try fixture.dsar(["erase", "--subject", ErasureFixture.amel, "--execute"])
        #expect(output.status != 0 && output.stderr.contains("another erasure is running with this ledger"), "\(output.stderr)")
        #expect(try fixture.dsar(["erase", "--subject", ErasureFixture.amel, "--dry-run"]).status == 0, "a dry run needs no lock")
        flock(descriptor, LOCK_UN)
        #expect(try fixture.dsar(["erase", "--subject", ErasureFixture.amel, "--execute"]).status == 0)
    }

    @Test("--execute without a signing key stops before touching anything")
    func needsKey() throws {
        let example = try CLI.example()
        let output = try CLI.run(["erase", "--catalog", example.catalogURL.path, "--subject", ErasureFixture.amel, "--execute"])
        #expect(output.status != 0)
        #expect(output.stderr.contains("dsar keys generate"))
        #expect(try sqliteScalar(example.databaseURL, "SELECT count(*) FROM customers WHERE id = 1") == "1")
    }
}
