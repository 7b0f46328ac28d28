import Foundation
import Testing

@Suite("dsar erase --batch --dry-run")
struct EraseBatchPreviewTests {
    private static let subjects = [ErasureFixture.amel, "customer_id:3", "email:nobody@example.org", "customer_id:5", "customer_id:9"]

    @Test("The preview's totals are the sum of each subject's dry run, nothing changes, and no identifier is printed")
    func totalsMatchSingleDryRuns() throws {
        let fixture = try ErasureFixture.make()
        var expected: [String: [String: Int]] = [:]
        for subject in Self.subjects {
            let single = try fixture.dsar(["erase", "--subject", subject, "--dry-run", "--json"])
            #expect(single.status == 0, "\(single.stderr)")
            let plan = try JSONSerialization.jsonObject(with: Data(single.stdout.utf8)) as? [String: Any] ?? [:]
            for collection in plan["collections"] as? [[String: Any]] ?? [] {
                let name = collection["collection"] as? String ?? "?"
                for (field, total) in [("deleted", "delete"), ("masked", "mask"), ("held", "hold"), ("retained", "retain"),
                                       ("shared", "keepShared"), ("kept", "keepReferenced"), ("files", "deleteFiles"),
                                       ("keptFiles", "keepFiles"), ("outOfScope", "outOfScope"), ("blocked", "blocked")] {
                    expected[name, default: [:]][total, default: 0] += (collection[field] as? [Any])?.count ?? 0
                }
            }
        }
        expected = expected.filter { $0.value.values.contains { $0 > 0 } }
        let batch = fixture.directory.appendingPathComponent("subjects.txt")
        try (["subject"] + Self.subjects).joined(separator: "\n").write(to: batch, atomically: true, encoding: .utf8)
        let plans = fixture.directory.appendingPathComponent("plans.jsonl")
        let before = try Self.state(fixture)

        let output = try fixture.dsar(["erase", "--batch", batch.path, "--dry-run", "--json", "--plan-out", plans.path])
        #expect(output.status == 0, "\(output.stderr)")
        let preview = try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any] ?? [:]
        var totals: [String: [String: Int]] = [:]
        for collection in preview["collections"] as? [[String: Any]] ?? [] {
            totals[collection["collection"] as? String ?? "?"] = collection.compactMapValues { $0 as? Int }
        }
        #expect(totals == expected)
        #expect(totals["calls"]?["mask"] ?? 0 > 0 && totals["recordings"]?["hold"] ?? 0 > 0)
        #expect(preview["nothingFound"] as? [Int] == [4])
        #expect(preview["subjects"] as? Int == 5 && preview["planned"] as? Int == 5)
        #expect(try Self.state(fixture) == before, "no row, file or ledger byte changed")

        let lines = try String(contentsOf: plans, encoding: .utf8).split(separator: "\n").map {
            try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] ?? [:]
        }
        #expect(lines.map { $0["line"] as? Int } == [2, 3, 4, 5, 6])
        #expect(lines.allSatisfy { ($0["subject"] as? String)?.hasPrefix("hmac-sha256:") == true && $0["plan"] is [String: Any] })
        let attributes = try FileManager.default.attributesOfItem(atPath: plans.path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)

        let text = try fixture.dsar(["erase", "--batch", batch.path, "--dry-run"])
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stdout.contains("Nothing found for the subjects of line(s) 4"), "\(text.stdout)")
        #expect(text.stdout.contains("calls (crm): ") && text.stdout.contains("Nothing was changed."))
        #expect(try Self.state(fixture) == before)
        let printed = output.stdout + output.stderr + text.stdout + text.stderr
        for personal in ["amel", "Amel", "nobody", "98123456", "0021698", "Ben Ali", "customer_id:"] {
            #expect(!printed.contains(personal), "\(personal) printed")
        }
        // The plans file names rows by key, as a single dry run's plan does, but never the subjects' identifiers.
        let planText = try String(contentsOf: plans, encoding: .utf8)
        for identifier in ["amel.benali", "nobody", "customer_id:"] { #expect(!planText.contains(identifier), "\(identifier) in the plans file") }
    }

    @Test("--batch without a mode is refused and names the modes")
    func needsAMode() throws {
        let fixture = try ErasureFixture.make()
        let batch = fixture.directory.appendingPathComponent("subjects.txt")
        try "customer_id:3\n".write(to: batch, atomically: true, encoding: .utf8)
        let output = try fixture.dsar(["erase", "--batch", batch.path, "--json"])
        #expect(output.status != 0)
        #expect(output.stderr.contains("--dry-run"), "\(output.stderr)")
    }

    /// The database's bytes, every file, and every byte of the ledger's folder.
    private static func state(_ fixture: ErasureFixture) throws -> [String: Data] {
        var state = try fixture.allFiles()
        state["crm.sqlite"] = try Data(contentsOf: fixture.database)
        let ledger = fixture.ledger.deletingLastPathComponent()
        for name in (try? FileManager.default.contentsOfDirectory(atPath: ledger.path)) ?? [] {
            var isDirectory: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: ledger.appendingPathComponent(name).path, isDirectory: &isDirectory)
            state[".dsar/" + name] = isDirectory.boolValue ? Data("folder".utf8) : try Data(contentsOf: ledger.appendingPathComponent(name))
        }
        return state
    }
}
