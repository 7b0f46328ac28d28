import Foundation
import Testing

@Suite("Files that hold secrets or identifiers")
struct PrivateFilesCommandTests {
    private func mode(_ path: String) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int ?? -1) & 0o777
    }

    @Test("After a run with a .dsar folder that already existed 0755: keys, ledger, WAL, plans, letters and packages are 0600, folders 0700")
    func ownerOnly() throws {
        let example = try CLI.example()
        defer { try? FileManager.default.removeItem(at: example.catalogURL.deletingLastPathComponent()) }
        let directory = example.catalogURL.deletingLastPathComponent()
        let dsar = directory.appendingPathComponent(".dsar")
        try? FileManager.default.removeItem(at: dsar)
        try FileManager.default.createDirectory(at: dsar, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        func run(_ arguments: [String]) throws {
            let output = try CLI.run(arguments + ["--catalog", example.catalogURL.path])
            #expect(output.status == 0, "\(arguments): \(output.stderr)")
        }
        let plan = directory.appendingPathComponent("plan.json")
        let letter = directory.appendingPathComponent("letter.txt")
        let package = directory.appendingPathComponent("amel.zip")
        try run(["keys", "generate"])
        try run(["request", "open", "--kind", "access", "--subject", ErasureFixture.amel])
        try run(["access", "--subject", ErasureFixture.amel, "--out", package.path, "--letter", letter.path])
        try run(["erase", "--subject", ErasureFixture.amel, "--dry-run", "--plan-out", plan.path])
        try run(["erase", "--subject", "customer_id:4", "--execute"])
        for file in [plan, letter, package] { #expect(try mode(file.path) == 0o600, "\(file.lastPathComponent)") }
        let names = try FileManager.default.contentsOfDirectory(atPath: dsar.path)
        for name in ["ledger.sqlite", "masking.key", "signing.key", "requests.key"] {
            #expect(names.contains(name), "\(name) in \(names)")
        }
        for name in names where name != "signing.pub" {
            #expect(try mode(dsar.appendingPathComponent(name).path) == 0o600, "\(name)")
        }
        #expect(try mode(dsar.path) == 0o700)
    }
}
