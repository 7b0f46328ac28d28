import Foundation
import Testing

@Suite("dsar access / erase with a scope")
struct ScopeCommandTests {
    @Test("--record on erase --dry-run states the scope and leaves the other calls; --execute erases only that call's data")
    func eraseOneCall() throws {
        let fixture = try ErasureFixture.make()
        let calls = try fixture.sqlite("SELECT c.id FROM calls c JOIN customers u ON u.id = c.customer_id WHERE u.id = 1 ORDER BY c.id")
            .split(separator: "\n").map(String.init)
        try #require(calls.count >= 2)
        let dryRun = try fixture.dsar(["erase", "--subject", ErasureFixture.amel, "--dry-run", "--record", "calls:\(calls[0])"])
        #expect(dryRun.status == 0, "\(dryRun.stderr)")
        #expect(dryRun.stdout.contains("Scope: only what the request names: calls: 1 record ("), "\(dryRun.stdout)")
        #expect(dryRun.stdout.contains("(not in the request's scope)"), "\(dryRun.stdout)")
        let others = try fixture.sqlite("SELECT * FROM calls WHERE id <> \(calls[0]) ORDER BY id")
        let execute = try fixture.dsar(["erase", "--subject", ErasureFixture.amel, "--execute", "--record", "calls:\(calls[0])"])
        #expect(execute.status == 0, "\(execute.stderr)")
        #expect(execute.stdout.contains("complete for the scope"), "\(execute.stdout)")
        #expect(try fixture.sqlite("SELECT * FROM calls WHERE id <> \(calls[0]) ORDER BY id") == others)
    }

    @Test("Bad scopes exit 1 naming the flag, before anything is touched")
    func badScopes() throws {
        let fixture = try ErasureFixture.make()
        let before = try fixture.snapshot()
        for (flags, place) in [(["--only", "nope"], "--only"), (["--record", "calls"], "--record"),
                               (["--between", "2026-03-15..2026-03-01"], "--between"), (["--record", "calls:999999"], "--record calls")] {
            let output = try fixture.dsar(["erase", "--subject", ErasureFixture.amel, "--execute"] + flags)
            #expect(output.status == 1, "\(flags): \(output.stdout)")
            #expect(output.stderr.contains(place) && output.stderr.contains("nothing was touched"), "\(flags): \(output.stderr)")
        }
        #expect(try fixture.snapshot().rows == before.rows)
    }

    @Test("access --only recordings packages the recordings alone")
    func accessOnly() throws {
        let fixture = try ErasureFixture.make()
        let out = fixture.directory.appendingPathComponent("amel.tar.gz")
        let output = try fixture.dsar(["access", "--subject", ErasureFixture.amel, "--out", out.path, "--no-encryption", "--only", "recordings", "--json"])
        #expect(output.status == 0, "\(output.stderr)")
        let listing = try CLI.launch(URL(fileURLWithPath: "/usr/bin/bsdtar"), ["-tf", out.path])
        let entries = listing.stdout.split(separator: "\n").map(String.init)
        #expect(entries.contains("data/recordings.json") && !entries.contains("data/calls.json"), "\(entries)")
        #expect(entries.contains { $0.hasPrefix("files/recordings/") }, "\(entries)")
        #expect(!entries.contains { $0.hasPrefix("data/") && !$0.hasPrefix("data/recordings.") }, "only the recordings: \(entries)")
    }

    private func id(_ output: CLI.Output) throws -> String {
        try #require(output.stdout.split(separator: " ").dropFirst().first.map { String($0.trimmingCharacters(in: .punctuationCharacters)) })
    }

    @Test("request open --record keeps the scope with the request: show states it, run erases only that call", arguments: LedgerKind.available)
    func scopedErasureRequest(ledger: LedgerKind) throws {
        let fixture = try ErasureFixture.make(ledger: ledger)
        let calls = try fixture.sqlite("SELECT c.id FROM calls c JOIN customers u ON u.id = c.customer_id WHERE u.id = 1 ORDER BY c.id")
            .split(separator: "\n").map(String.init)
        try #require(calls.count >= 2)
        let open = try fixture.dsar(["request", "open", "--kind", "erasure", "--subject", ErasureFixture.amel, "--record", "calls:\(calls[0])"])
        #expect(open.status == 0, "\(open.stderr)")
        #expect(open.stdout.contains("Scope: --record calls:\(calls[0]) (applied when it runs)."), "\(open.stdout)")
        let request = try id(open)
        let show = try fixture.dsar(["request", "show", request])
        #expect(show.stdout.contains("  scope: --record calls:\(calls[0])"), "\(show.stdout)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(try fixture.dsar(["request", "show", request, "--json"]).stdout.utf8))
            as? [String: Any])
        #expect((json["scope"] as? [String: Any])?["records"] != nil, "show --json carries the scope")
        #expect(try fixture.dsar(["request", "verify", request, "--method", "called back on the number on file"]).status == 0)

        let others = try fixture.sqlite("SELECT * FROM calls WHERE id <> \(calls[0]) ORDER BY id")
        let customers = try fixture.sqlite("SELECT * FROM customers ORDER BY id")
        let scoped = try fixture.sqlite("SELECT caller_number FROM calls WHERE id = \(calls[0])")
        let run = try fixture.dsar(["request", "run", request])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("Request \(request) closed."), "\(run.stdout)")
        // The example masks calls (the caller's number hashed) rather than deleting them.
        #expect(try fixture.sqlite("SELECT caller_number FROM calls WHERE id = \(calls[0])") != scoped, "the call in the scope was not erased")
        #expect(try fixture.sqlite("SELECT * FROM calls WHERE id <> \(calls[0]) ORDER BY id") == others, "a call outside the scope changed")
        #expect(try fixture.sqlite("SELECT * FROM customers ORDER BY id") == customers, "the customer row is outside the scope")
    }

    @Test("request open --only recordings: request run packages the recordings alone, and manifest.json states the scope")
    func scopedAccessRequest() throws {
        let fixture = try ErasureFixture.make()
        let open = try fixture.dsar(["request", "open", "--kind", "access", "--subject", ErasureFixture.amel, "--only", "recordings"])
        #expect(open.status == 0, "\(open.stderr)")
        let request = try id(open)
        #expect(try fixture.dsar(["request", "verify", request, "--method", "customer portal login"]).status == 0)
        let out = fixture.directory.appendingPathComponent("scoped.tar.gz")
        let run = try fixture.dsar(["request", "run", request, "--out", out.path, "--no-encryption"])
        #expect(run.status == 0, "\(run.stderr)")
        let listing = try CLI.launch(URL(fileURLWithPath: "/usr/bin/bsdtar"), ["-tf", out.path]).stdout.split(separator: "\n").map(String.init)
        #expect(listing.contains("data/recordings.json") && !listing.contains("data/calls.json"), "\(listing)")
        let manifest = try CLI.launch(URL(fileURLWithPath: "/usr/bin/bsdtar"), ["-xOf", out.path, "manifest.json"]).stdout
        let object = try #require(try JSONSerialization.jsonObject(with: Data(manifest.utf8)) as? [String: Any])
        #expect((object["scope"] as? [String: Any])?["collections"] as? [String] == ["recordings"], "manifest.json states the scope")
    }

    @Test("request open refuses a scope the catalog cannot apply, naming the flag, and opens nothing")
    func badScopeOnOpen() throws {
        let fixture = try ErasureFixture.make()
        let output = try fixture.dsar(["request", "open", "--kind", "erasure", "--subject", ErasureFixture.amel, "--only", "nope"])
        #expect(output.status == 1)
        #expect(output.stderr.contains("--only"), "\(output.stderr)")
        #expect(try fixture.dsar(["request", "list"]).stdout.contains("R-") == false, "a request was opened")
    }
}
