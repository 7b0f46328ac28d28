import Foundation
import Testing

@Suite("dsar erase --batch")
struct EraseBatchTests {
    @Test("1,000 subjects of a generated data set are erased in one run, with one outcome line each")
    func thousandSubjects() throws {
        let fixture = try ErasureFixture.make(large: true)
        let batch = fixture.directory.appendingPathComponent("subjects.csv")
        let lines = ["subject"] + (1...1000).map { "customer_id:\($0)" }
        try lines.joined(separator: "\n").write(to: batch, atomically: true, encoding: .utf8)
        let outcomes = fixture.directory.appendingPathComponent("outcomes.jsonl")
        let start = Date()
        let output = try fixture.dsar(["erase", "--batch", batch.path, "--execute", "--outcomes", outcomes.path])
        print("batch of 1000 subjects: \(String(format: "%.1f", Date().timeIntervalSince(start))) s")
        #expect(output.status == 0, "\(output.stderr.prefix(500))")
        #expect(output.stdout.contains("1000 subjects, 1000 completed, 0 incomplete, 0 failed"))
        #expect(output.stderr.isEmpty, "no progress bar when stderr is not a terminal")
        let records = try String(contentsOf: outcomes, encoding: .utf8).split(separator: "\n").map {
            try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] ?? [:]
        }
        #expect(records.count == 1000)
        #expect(records.map { $0["line"] as? Int } == (2...1001).map { $0 })
        #expect(records.allSatisfy { $0["status"] as? String == "completed" && ($0["requestID"] as? String)?.count == 36 })
        // Line n names customer n - 1; a customer row that retained consents reference is kept, every other one deleted.
        let withConsents = Set(try fixture.sqlite("SELECT DISTINCT customer_id FROM recording_consents").split(separator: "\n").compactMap { Int($0) })
        #expect(records.allSatisfy { record in
            let customer = (record["line"] as? Int ?? 0) - 1
            return withConsents.contains(customer) || (record["deleted"] as? Int ?? 0) >= 1
        })
        #expect(Set(records.compactMap { $0["requestID"] as? String }).count == 1000)
        // Only customer rows that retained consents still reference remain.
        #expect(try fixture.sqlite("SELECT count(*) FROM customers WHERE id NOT IN (SELECT customer_id FROM recording_consents)") == "0")
        // Only held recordings and recordings of calls nobody could be tied to remain, each with its file.
        #expect(try fixture.sqlite("""
            SELECT count(*) FROM recordings r JOIN calls c ON c.id = r.call_id
            WHERE c.customer_id IS NOT NULL AND (r.legal_hold_until IS NULL OR r.legal_hold_until < '2026')
            """) == "0")
        let audit = try fixture.dsar(["audit", "verify"])
        #expect(audit.status == 0 && audit.stdout.contains("intact"))
    }

    @Test("On a terminal, a progress bar shows subjects done / total, rate and ETA on stderr")
    func progressBar() throws {
        let fixture = try ErasureFixture.make()
        let batch = fixture.directory.appendingPathComponent("subjects.csv")
        try (3...8).map { "customer_id:\($0)" }.joined(separator: "\n").write(to: batch, atomically: true, encoding: .utf8)
        let command = [CLI.binary.path, "erase", "--batch", batch.path, "--execute", "--catalog", fixture.catalog, "2>/dev/tty", ">/dev/null"]
            .map { $0.hasPrefix("2>") || $0.hasPrefix(">") ? $0 : "'\($0)'" }.joined(separator: " ")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/script")
        process.arguments = ["-qec", command, "/dev/null"]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(output.contains("6/6") && output.contains("/s") && output.contains("ETA"), "\(output)")
    }

    @Test("A malformed line 37 stops the batch before anything is touched, and says so")
    func malformedLine() throws {
        let fixture = try ErasureFixture.make()
        let before = try fixture.sqlite("SELECT count(*) FROM customers") + (try fixture.othersRows())
        let files = try fixture.allFiles()
        var lines = ["identifiers"] + (1...39).map { "customer_id:\($0 % 12 + 1)" }
        lines[36] = "phone:not a phone number"
        let batch = fixture.directory.appendingPathComponent("subjects.csv")
        try lines.joined(separator: "\n").write(to: batch, atomically: true, encoding: .utf8)
        let output = try fixture.dsar(["erase", "--batch", batch.path, "--execute"])
        #expect(output.status != 0)
        #expect(output.stderr.contains("line 37"), "\(output.stderr)")
        #expect(!output.stderr.contains("not a phone number"))
        #expect(try fixture.sqlite("SELECT count(*) FROM customers") + (try fixture.othersRows()) == before)
        #expect(try fixture.allFiles() == files)
        #expect(!FileManager.default.fileExists(atPath: batch.path + ".outcomes.jsonl"))
    }

    @Test("A first line that is not a header word is a subject: a bare email on line 1 is an error naming line 1")
    func firstLineIsNotAHeader() throws {
        let fixture = try ErasureFixture.make()
        let before = try fixture.sqlite("SELECT count(*) FROM customers") + (try fixture.othersRows())
        let batch = fixture.directory.appendingPathComponent("subjects.csv")
        try "aa@x.com\ncustomer_id:3\n".write(to: batch, atomically: true, encoding: .utf8)
        let output = try fixture.dsar(["erase", "--batch", batch.path, "--execute"])
        #expect(output.status != 0)
        #expect(output.stderr.contains("line 1:"), "\(output.stderr)")
        #expect(!output.stderr.contains("aa@x.com"))
        #expect(try fixture.sqlite("SELECT count(*) FROM customers") + (try fixture.othersRows()) == before)

        try "Subject\ncustomer_id:3\n".write(to: batch, atomically: true, encoding: .utf8)
        let withHeader = try fixture.dsar(["erase", "--batch", batch.path, "--execute"])
        #expect(withHeader.status == 0, "\(withHeader.stderr)")
        #expect(withHeader.stdout.contains("1 subjects, 1 completed"), "\(withHeader.stdout)")
    }

    @Test("Several identifiers per line, and one failing subject does not stop the others")
    func failingSubject() throws {
        let fixture = try ErasureFixture.make()
        _ = try fixture.sqlite("""
            CREATE TABLE sessions (id INTEGER PRIMARY KEY, customer_id INTEGER REFERENCES customers(id));
            INSERT INTO sessions VALUES (1, 3);
            DELETE FROM recording_consents WHERE customer_id = 3;
            """)
        let batch = fixture.directory.appendingPathComponent("subjects.csv")
        try "customer_id:3\n\(ErasureFixture.amel);customer_id:1\ncustomer_id:4\n".write(to: batch, atomically: true, encoding: .utf8)
        let output = try fixture.dsar(["erase", "--batch", batch.path, "--execute"])
        #expect(output.status != 0)
        let lines = try String(contentsOfFile: batch.path + ".outcomes.jsonl", encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 3)
        #expect(lines[0].contains("\"status\":\"failed\"") && lines[0].contains("sessions.customer_id"))
        #expect(lines[1].contains("\"status\":\"completed\"") && lines[2].contains("\"status\":\"completed\""))
        // Customer rows that retained consents reference stay; 3 stays because its run failed.
        #expect(try fixture.sqlite("SELECT id FROM customers WHERE id IN (1, 3, 4) AND id NOT IN (SELECT customer_id FROM recording_consents)") == "3")
    }
}
