import Foundation
import Testing

@Suite("dsar request on a shared PostgreSQL ledger, from two machines")
struct SharedLedgerRequestTests {
    /// Two machines: two copies of the catalog and data, one ledger schema, the key folder copied.
    private func machines() throws -> (ErasureFixture, ErasureFixture, String) {
        let schema = "cli_" + UUID().uuidString.lowercased().filter { $0 != "-" }
        let first = try ErasureFixture.make()
        let second = try ErasureFixture.make()
        for machine in [first, second] { try machine.useSharedLedger(schema: schema) }
        // `dsar keys generate` ran on the first; the second gets a copy of its key folder.
        let keys = second.directory.appendingPathComponent(".dsar")
        try FileManager.default.removeItem(at: keys)
        try FileManager.default.copyItem(at: first.directory.appendingPathComponent(".dsar"), to: keys)
        return (first, second, schema)
    }

    private func launch(_ fixture: ErasureFixture, _ arguments: [String]) throws -> (Process, Pipe) {
        let process = Process()
        process.executableURL = CLI.binary
        process.arguments = arguments + ["--catalog", fixture.catalog]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        return (process, out)
    }

    @Test("Two dsar processes on two machines open requests at the same moment: distinct ids, both listed everywhere, one intact audit chain")
    func twoProcesses() throws {
        guard LedgerKind.available.contains(.postgres) else { return }
        let (first, second, _) = try machines()
        // The first round also races to create the ledger's tables and record the keys' fingerprints.
        for round in 0..<3 {
            let a = try launch(first, ["request", "open", "--kind", "erasure", "--subject", "customer_id:\(round * 2 + 1)", "--json"])
            let b = try launch(second, ["request", "open", "--kind", "access", "--subject", "customer_id:\(round * 2 + 2)", "--json"])
            let outputs = [a, b].map { process, pipe in
                let data = pipe.fileHandleForReading.readDataToEndOfFile()
                process.waitUntilExit()
                return (process.terminationStatus, data)
            }
            #expect(outputs.allSatisfy { $0.0 == 0 }, "round \(round)")
        }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let year = calendar.component(.year, from: Date())
        let expected = Set((1...6).map { String(format: "R-%04d-%04d", year, $0) })
        for machine in [first, second] {
            let list = try machine.dsar(["request", "list", "--json"])
            let ids = (try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [[String: Any]])?.compactMap { $0["id"] as? String }
            #expect(ids?.count == 6 && Set(ids ?? []) == expected, "\(list.stdout)\(list.stderr)")
            let audit = try machine.dsar(["audit", "verify"])
            #expect(audit.status == 0 && audit.stdout.contains("6 entries"), "\(audit.stdout)\(audit.stderr)")
            // Each machine finds the other's requests by the HMAC of their identifiers.
            for customer in [1, 2, 5, 6] {
                let found = try machine.dsar(["request", "list", "--subject", "customer_id:\(customer)", "--json"])
                let rows = try JSONSerialization.jsonObject(with: Data(found.stdout.utf8)) as? [[String: Any]]
                #expect(rows?.count == 1, "customer \(customer): \(found.stdout)\(found.stderr)")
            }
        }
    }

    @Test("A machine without the ledger's keys is told to copy the key folder; it never reads 'no request'")
    func machineWithoutKeys() throws {
        guard LedgerKind.available.contains(.postgres) else { return }
        let (first, second, _) = try machines()
        #expect(try first.dsar(["request", "open", "--kind", "access", "--subject", ErasureFixture.amel]).status == 0)
        // The second machine generated keys of its own instead of copying the folder.
        try FileManager.default.removeItem(at: second.directory.appendingPathComponent(".dsar"))
        #expect(try second.dsar(["keys", "generate"]).status == 0)
        for arguments in [["request", "list"], ["request", "list", "--subject", ErasureFixture.amel],
                          ["request", "open", "--kind", "erasure", "--subject", "customer_id:2"]] {
            let output = try second.dsar(arguments)
            #expect(output.status != 0, "\(arguments): \(output.stdout)")
            #expect(output.stderr.contains("copy the key folder"), "\(arguments): \(output.stderr)")
            #expect(!output.stdout.contains("No request"), "\(arguments)")
        }
        let list = try first.dsar(["request", "list", "--json"])
        #expect((try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [[String: Any]])?.count == 1, "nothing was added")
    }
}
