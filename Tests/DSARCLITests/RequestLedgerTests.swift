import Foundation
import Testing

@Suite("dsar request: which ledger, and JSON")
struct RequestLedgerTests {
    @Test("With a PostgreSQL ledger, dsar request and dsar replay keep requests in it, and write no SQLite file of their own")
    func postgresLedgerKeepsRequests() throws {
        guard LedgerKind.available.contains(.postgres) else { return }
        let fixture = try ErasureFixture.make(ledger: .postgres)
        let before = try FileManager.default.contentsOfDirectory(atPath: fixture.directory.path).sorted()
        let open = try fixture.dsar(["request", "open", "--kind", "access", "--subject", ErasureFixture.amel, "--json"])
        #expect(open.status == 0, "\(open.stderr)")
        let id = try #require((try JSONSerialization.jsonObject(with: Data(open.stdout.utf8)) as? [String: Any])?["id"] as? String)
        for arguments in [["request", "list"], ["request", "show", id], ["replay", "--since", "2026-01-01"], ["audit", "verify"]] {
            let output = try fixture.dsar(arguments)
            #expect(output.status == 0, "\(arguments): \(output.stderr)")
        }
        #expect(try fixture.dsar(["request", "list"]).stdout.contains(id))
        #expect(try FileManager.default.contentsOfDirectory(atPath: fixture.directory.path).sorted() == before)
        #expect(!FileManager.default.fileExists(atPath: fixture.ledger.path), "a SQLite ledger was written beside the catalog")
        #expect(!FileManager.default.fileExists(atPath: fixture.directory.appendingPathComponent("postgres:").path))
    }

    @Test("A ledger value that is neither a path nor a PostgreSQL URL stops every command, naming the catalog line")
    func junkLedger() throws {
        let fixture = try ErasureFixture.make()
        let yaml = try String(contentsOfFile: fixture.catalog, encoding: .utf8)
        let line = yaml.split(separator: "\n", omittingEmptySubsequences: false).count
        try (yaml + "ledger: \"mysql://dsar@db.internal/dsar\"\n").write(toFile: fixture.catalog, atomically: true, encoding: .utf8)
        let before = try FileManager.default.contentsOfDirectory(atPath: fixture.directory.path).sorted()
        let output = try fixture.dsar(["request", "open", "--kind", "access", "--subject", ErasureFixture.amel])
        #expect(output.status != 0)
        #expect(output.stderr.contains("dsar.yaml:\(line):"), "\(output.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: fixture.directory.path).sorted() == before)
    }

    @Test("dsar request open --json prints the id, kind, received day, due day and days left", arguments: LedgerKind.available)
    func openJSON(ledger: LedgerKind) throws {
        let fixture = try ErasureFixture.make(ledger: ledger)
        let open = try fixture.dsar(["request", "open", "--kind", "erasure", "--subject", ErasureFixture.amel, "--channel", "phone", "--json"])
        #expect(open.status == 0, "\(open.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(open.stdout.utf8)) as? [String: Any], "\(open.stdout)")
        let id = try #require(object["id"] as? String)
        #expect(id.hasPrefix("R-") && id.hasSuffix("-0001"))
        #expect(object["kind"] as? String == "erasure")
        let received = try #require(object["received"] as? String)
        let due = try #require(object["due"] as? String)
        #expect(received.count == 10 && due.count == 10 && due > received)
        let daysLeft = try #require(object["daysLeft"] as? Int)
        #expect((28...31).contains(daysLeft))
        #expect(!open.stdout.contains("amel"))
        let list = try fixture.dsar(["request", "list", "--json"])
        let row = try #require((try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [[String: Any]])?.first)
        for key in ["id", "kind", "received", "due"] { #expect(row[key] as? String == object[key] as? String, "\(key)") }
        #expect(row["daysLeft"] as? Int == daysLeft)
    }

    @Test("verify, extend, reject and purge take --json too", arguments: LedgerKind.available)
    func otherSubcommandsJSON(ledger: LedgerKind) throws {
        let fixture = try ErasureFixture.make(ledger: ledger)
        let first = try fixture.dsar(["request", "open", "--kind", "access", "--subject", ErasureFixture.amel, "--json"])
        let id = try #require((try JSONSerialization.jsonObject(with: Data(first.stdout.utf8)) as? [String: Any])?["id"] as? String)
        func json(_ arguments: [String]) throws -> [String: Any] {
            let output = try fixture.dsar(arguments + ["--json"])
            #expect(output.status == 0, "\(arguments): \(output.stderr)")
            return try #require(try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any], "\(output.stdout)")
        }
        #expect(try json(["request", "verify", id, "--method", "called back on the number on file"])["verification"] as? String
                    == "called back on the number on file")
        #expect(try json(["request", "extend", id, "--months", "1", "--reason", "recordings on tape"])["extensionMonths"] as? Int == 1)
        #expect(try json(["request", "reject", id, "--reason", "manifestly unfounded"])["status"] as? String == "rejected")
        #expect(try json(["request", "purge", "--closed-before", "2000-01-01"])["purged"] as? [String] == [])
    }

    @Test("dsar request run --json prints the closed request with the package summary, or with the certificate and notices", arguments: LedgerKind.available)
    func runJSON(ledger: LedgerKind) throws {
        let fixture = try ErasureFixture.make(ledger: ledger)
        func opened(_ kind: String, _ subject: String) throws -> String {
            let open = try fixture.dsar(["request", "open", "--kind", kind, "--subject", subject, "--json"])
            let id = try #require((try JSONSerialization.jsonObject(with: Data(open.stdout.utf8)) as? [String: Any])?["id"] as? String)
            #expect(try fixture.dsar(["request", "verify", id, "--method", "called back on the number on file"]).status == 0)
            return id
        }
        let access = try opened("access", ErasureFixture.amel)
        let package = fixture.directory.appendingPathComponent("answer.zip").path
        let answered = try fixture.dsar(["request", "run", access, "--out", package, "--no-encryption", "--json"])
        #expect(answered.status == 0, "\(answered.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(answered.stdout.utf8)) as? [String: Any], "\(answered.stdout)")
        #expect((report["request"] as? [String: Any])?["status"] as? String == "completed")
        #expect(((report["package"] as? [String: Any])?["sha256"] as? String)?.count == 64)
        #expect(!answered.stdout.contains("amel"))

        let erasure = try opened("erasure", "customer_id:4")
        let erased = try fixture.dsar(["request", "run", erasure, "--json"])
        #expect(erased.status == 0, "\(erased.stderr)")
        let outcome = try #require(try JSONSerialization.jsonObject(with: Data(erased.stdout.utf8)) as? [String: Any], "\(erased.stdout)")
        #expect((outcome["request"] as? [String: Any])?["status"] as? String == "completed")
        #expect((outcome["certificate"] as? [String: Any])?["verification"] as? String == "complete")
        #expect(outcome["notices"] is [Any])
    }
}
