import Foundation
import Testing

@Suite("dsar request and dsar replay")
struct RequestCommandTests {
    private let february10 = ["DSAR_FAULT_NOW": "2026-02-10T09:00:00Z"]

    private func id(_ output: CLI.Output) throws -> String {
        try #require(output.stdout.split(separator: " ").dropFirst().first.map { String($0.trimmingCharacters(in: .punctuationCharacters)) })
    }

    @Test("open, verify, extend, list and show: due dates, days left, the timeline and JSON", arguments: LedgerKind.available)
    func lifecycle(ledger: LedgerKind) throws {
        let fixture = try ErasureFixture.make(ledger: ledger)
        let open = try fixture.harness(["request", "open", "--kind", "access", "--subject", ErasureFixture.amel, "--received", "2026-01-31",
                                     "--channel", "email", "--note", "asked by email"], environment: february10)
        #expect(open.status == 0, "\(open.stderr)")
        #expect(open.stdout == "Request R-2026-0001 opened: access, received 2026-01-31, due 2026-02-28 (18 days left).\n")
        let request = try id(open)
        let late = try fixture.harness(["request", "open", "--kind", "erasure", "--subject", "customer_id:2", "--received", "2026-01-02"],
                                    environment: february10)
        #expect(late.stdout.contains("due 2026-02-02 (8 days overdue)"), "\(late.stdout)\(late.stderr)")
        let same = try fixture.harness(["request", "open", "--kind", "erasure", "--subject", "email:AMEL.benali@example.tn",
                                     "--received", "2026-02-09"], environment: february10)
        #expect(same.stdout.hasSuffix("Also pending for this person: R-2026-0001.\n"), "\(same.stdout)")
        #expect(try fixture.dsar(["request", "reject", "R-2026-0003", "--reason", "opened twice by mistake"]).status == 0)
        let bad = try fixture.dsar(["request", "open", "--kind", "deletion", "--subject", ErasureFixture.amel])
        #expect(bad.status != 0)

        #expect(try fixture.dsar(["request", "verify", request, "--method", "reply from the address on file"]).status == 0)
        let extend = try fixture.harness(["request", "extend", request, "--months", "2", "--reason", "recordings archived on tape"],
                                      environment: february10)
        #expect(extend.status == 0, "\(extend.stderr)")
        #expect(extend.stdout.contains("due 2026-04-30"))
        let again = try fixture.harness(["request", "extend", request, "--months", "1", "--reason", "more"], environment: february10)
        #expect(again.status != 0 && again.stderr.contains("three months"))
        let three = try fixture.dsar(["request", "extend", request, "--months", "3", "--reason", "x"])
        #expect(three.status != 0)

        let list = try fixture.harness(["request", "list"], environment: february10)
        let lines = list.stdout.split(separator: "\n").filter { !$0.hasPrefix("R-2026-0003") }
        #expect(lines.count == 3 && lines[0].hasPrefix("ID"))
        #expect(lines[1].hasPrefix("R-2026-0002") && lines[1].contains("8 days overdue"))
        #expect(lines[2].hasPrefix("R-2026-0001") && lines[2].contains("79 days left") && lines[2].contains("verified"))
        let overdue = try fixture.harness(["request", "list", "--overdue", "--json"], environment: february10)
        let rows = try JSONSerialization.jsonObject(with: Data(overdue.stdout.utf8)) as? [[String: Any]]
        #expect(rows?.map { $0["id"] as? String } == ["R-2026-0002"])
        #expect(rows?.first?["daysLeft"] as? Int == -8 && rows?.first?["overdue"] as? Bool == true)
        let soon = try fixture.harness(["request", "list", "--due-within", "80d"], environment: february10)
        #expect(soon.stdout.split(separator: "\n").count == 3)

        let show = try fixture.harness(["request", "show", request], environment: february10)
        #expect(show.stdout.contains("extended by 2 month(s): recordings archived on tape"))
        #expect(show.stdout.contains("identity: verified (reply from the address on file)"))
        let events = show.stdout.split(separator: "\n").filter { $0.hasPrefix("  20") }
        #expect(events.count == 3)
        #expect(events[0].contains("request.opened") && events[1].contains("request.verified") && events[2].contains("request.extended"))
        for personal in ["amel", "98123456", "asked by email"] { #expect(!show.stdout.contains(personal)) }
        let reject = try fixture.dsar(["request", "reject", "R-2026-0002", "--reason", "a fifth identical request this month"])
        #expect(reject.status == 0 && reject.stdout.contains("CNIL"))
        #expect(try fixture.dsar(["audit", "verify"]).status == 0)
    }

    @Test("An unverified erasure is refused; --force needs a reason; the run closes the request and show lists Art. 19 notices", arguments: LedgerKind.available)
    func runErasure(ledger: LedgerKind) throws {
        let fixture = try ErasureFixture.make(ledger: ledger)
        let catalogText = try String(contentsOfFile: fixture.catalog, encoding: .utf8)
            .replacingOccurrences(of: "      ar: معالجة مكالماتكم\n",
                                  with: "      ar: معالجة مكالماتكم\n    recipients: [\"Quality auditor: Qualimetrie SAS\"]\n")
        try catalogText.write(toFile: fixture.catalog, atomically: true, encoding: .utf8)
        let before = try fixture.snapshot()
        let request = try id(try fixture.dsar(["request", "open", "--kind", "erasure", "--subject", ErasureFixture.amel]))
        let refused = try fixture.dsar(["request", "run", request])
        #expect(refused.status != 0 && refused.stderr.contains("not verified"))
        #expect(try fixture.sqlite("SELECT count(*) FROM customers WHERE id = 1") == "1")
        let noReason = try fixture.dsar(["request", "run", request, "--force"])
        #expect(noReason.status != 0 && noReason.stderr.contains("--reason"))
        let certificate = fixture.directory.appendingPathComponent("cert.json").path
        let run = try fixture.dsar(["request", "run", request, "--force", "--reason", "verified in person at the shop",
                                    "--certificate", certificate])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("Request \(request) closed."))
        #expect(run.stdout.contains("Art. 19: notify Quality auditor: Qualimetrie SAS"))
        try fixture.expectAmelErased(before: before, certificate: certificate)
        let show = try fixture.dsar(["request", "show", request, "--json"])
        let json = try #require(try JSONSerialization.jsonObject(with: Data(show.stdout.utf8)) as? [String: Any])
        let notices = json["notices"] as? [[String: Any]]
        #expect(notices?.first?["recipient"] as? String == "Quality auditor: Qualimetrie SAS")
        #expect(notices?.first?["collections"] as? [String] == ["calls"])
        let events = (json["timeline"] as? [[String: Any]])?.compactMap { $0["event"] as? String } ?? []
        #expect(events.first == "request.opened" && events.contains("request.forced") && events.contains("run.completed"))
        #expect(events.last == "request.closed")
        #expect((json["request"] as? [String: Any])?["status"] as? String == "completed")
        let twice = try fixture.dsar(["request", "run", request])
        #expect(twice.status != 0 && twice.stderr.contains("completed"))
    }

    @Test("An access request writes its package, links its SHA-256 and closes", arguments: LedgerKind.available)
    func runAccess(ledger: LedgerKind) throws {
        let fixture = try ErasureFixture.make(ledger: ledger)
        let request = try id(try fixture.dsar(["request", "open", "--kind", "portability", "--subject", ErasureFixture.amel]))
        #expect(try fixture.dsar(["request", "verify", request, "--method", "customer portal login"]).status == 0)
        let out = fixture.directory.appendingPathComponent("amel.tar.gz").path
        let run = try fixture.dsar(["request", "run", request, "--out", out, "--no-encryption"])
        #expect(run.status == 0, "\(run.stderr)")
        let sha = try CLI.tool(["sha256sum", out]).stdout.prefix(64)
        #expect(run.stdout.contains("SHA-256 \(sha)"))
        let show = try fixture.dsar(["request", "show", request])
        #expect(show.stdout.contains("outcome: package sha256:\(sha)"))
        let verify = try CLI.run(["verify", out])
        #expect(verify.status == 0, "\(verify.stderr)")
    }

    @Test("Restore: erase, restore the database and recordings from an earlier copy, replay: zero residue, the hold kept", arguments: LedgerKind.available)
    func restoreAndReplay(ledger: LedgerKind) throws {
        let fixture = try ErasureFixture.make(ledger: ledger)
        let before = try fixture.snapshot()
        let backup = fixture.directory.appendingPathComponent("backup")
        try FileManager.default.createDirectory(at: backup, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: fixture.database, to: backup.appendingPathComponent("crm.sqlite"))
        try FileManager.default.copyItem(at: fixture.recordings.resolvingSymlinksInPath(), to: backup.appendingPathComponent("recordings"))
        let backupTaken = Date().addingTimeInterval(-1).formatted(.iso8601)

        let request = try id(try fixture.dsar(["request", "open", "--kind", "erasure", "--subject", ErasureFixture.amel]))
        #expect(try fixture.dsar(["request", "verify", request, "--method", "called back on the number on file"]).status == 0)
        let run = try fixture.dsar(["request", "run", request])
        #expect(run.status == 0, "\(run.stderr)")
        try fixture.expectAmelErased(before: before)
        let clean = try fixture.dsar(["replay", "--since", backupTaken])
        #expect(clean.status == 0 && clean.stdout.contains("\(request) (erased "), "\(clean.stderr)")
        #expect(clean.stdout.contains(": clean"))

        // The restore: the database file and the recordings folder from the copy.
        let recordings = fixture.recordings.resolvingSymlinksInPath()
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: fixture.database.path + suffix) }
        try FileManager.default.removeItem(at: recordings)
        try FileManager.default.copyItem(at: backup.appendingPathComponent("crm.sqlite"), to: fixture.database)
        try FileManager.default.copyItem(at: backup.appendingPathComponent("recordings"), to: recordings)
        #expect(try fixture.sqlite("SELECT count(*) FROM customers WHERE id = 1") == "1")
        #expect(try fixture.allFiles()[ErasureFixture.amelVoicemail] != nil)

        let dry = try fixture.dsar(["replay", "--since", backupTaken, "--dry-run"])
        #expect(dry.status == 0 && dry.stdout.contains(": found; came back: "), "\(dry.stdout)\(dry.stderr)")
        #expect(try fixture.sqlite("SELECT count(*) FROM customers WHERE id = 1") == "1")
        let replay = try fixture.dsar(["replay", "--since", backupTaken, "--json"])
        #expect(replay.status == 0, "\(replay.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(replay.stdout.utf8)) as? [String: Any])
        let item = try #require((report["items"] as? [[String: Any]])?.first)
        #expect(item["status"] as? String == "erased" && item["residue"] as? Int == 0)
        #expect(item["held"] as? Int == 1 && (item["files"] as? Int ?? 0) > 0)
        try fixture.expectAmelErased(before: before)
        #expect(try fixture.sqlite("SELECT legal_hold_until FROM recordings WHERE id = 2") == "'2031-03-15'")
        let after = try fixture.dsar(["replay", "--since", backupTaken])
        #expect(after.stdout.contains(": clean"))
        #expect(try fixture.dsar(["request", "show", request]).stdout.contains("request.replayed"))
    }

    @Test("Processes opening requests at the same time on one ledger lose nothing", arguments: LedgerKind.available)
    func concurrentOpen(ledger: LedgerKind) throws {
        let fixture = try ErasureFixture.make(ledger: ledger)
        // No ledger yet: the processes also race to create it, its tables and (SQLite) its keys;
        // a shared ledger needs the keys first (`dsar keys generate`, copied to every machine).
        if ledger == .sqlite { try FileManager.default.removeItem(at: fixture.ledger.deletingLastPathComponent()) }
        let count = 12
        func errorLog(_ index: Int) throws -> URL {
            let url = URL(fileURLWithPath: fixture.catalog).deletingLastPathComponent().appendingPathComponent("open-\(index).err")
            if !FileManager.default.fileExists(atPath: url.path) { FileManager.default.createFile(atPath: url.path, contents: nil) }
            return url
        }
        let processes = try (0..<count).map { index -> Process in
            let process = Process()
            process.executableURL = CLI.binary
            process.arguments = ["request", "open", "--kind", index % 2 == 0 ? "access" : "erasure", "--subject", "customer_id:\(index + 1)",
                                 "--catalog", fixture.catalog]
            process.standardOutput = FileHandle.nullDevice
            // Errors name places and codes, never an identifier: shown when a process fails.
            process.standardError = try FileHandle(forWritingTo: errorLog(index))
            try process.run()
            return process
        }
        for process in processes { process.waitUntilExit() }
        for (index, process) in processes.enumerated() where process.terminationStatus != 0 {
            Issue.record("process \(index) exited \(process.terminationStatus): \((try? String(contentsOf: errorLog(index), encoding: .utf8)) ?? "")")
        }
        let list = try fixture.dsar(["request", "list", "--json"])
        let ids = (try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [[String: Any]])?.compactMap { $0["id"] as? String }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let year = calendar.component(.year, from: Date())
        #expect(Set(ids ?? []) == Set((1...count).map { String(format: "R-%04d-%04d", year, $0) }))
        let audit = try fixture.dsar(["audit", "verify"])
        #expect(audit.status == 0 && audit.stdout.contains("\(count) entries"), "\(audit.stdout)\(audit.stderr)")
        // Every process used the same keys: each request is found again by its identifier's HMAC.
        for index in [1, 6, count] {
            let found = try fixture.dsar(["request", "list", "--subject", "customer_id:\(index)", "--json"])
            let rows = try JSONSerialization.jsonObject(with: Data(found.stdout.utf8)) as? [[String: Any]]
            #expect(rows?.count == 1, "customer \(index): \(found.stdout)\(found.stderr)")
        }
    }
}
