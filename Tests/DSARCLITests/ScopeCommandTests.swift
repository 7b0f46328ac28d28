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
}
