import CallCenterExample
import Foundation
import Testing

@Suite("dsar check")
struct CheckCommandTests {
    @Test("The example catalog checks clean against its stores")
    func clean() throws {
        let example = try CLI.example()
        let output = try CLI.run(["check", "--catalog", example.catalogURL.path])
        #expect(output.status == 0, "\(output.stdout)\(output.stderr)")
        #expect(output.stdout.contains("Catalog OK"))
        #expect(output.stdout.contains("Erasure order"))
    }

    @Test("A column missing from the database is an error naming the store, the table and the column")
    func missingColumn() throws {
        let example = try CLI.example()
        try edit(example.catalogURL, "identifiers: { caller_number: phone }", "identifiers: { caller_num: phone }")
        let output = try CLI.run(["check", "--catalog", example.catalogURL.path])
        #expect(output.status == 1)
        #expect(output.stdout.contains("crm/calls: error: collection 'calls' names column 'caller_num', which does not exist"))
        #expect(output.stderr.contains("1 error"))
    }

    @Test("A hold on a column's value names a column that must exist")
    func holdWhenColumn() throws {
        let example = try CLI.example()
        try edit(example.catalogURL, "      column: legal_hold_until\n", "      when: { hold_status: [DISPUTE, FRAUD] }\n")
        let output = try CLI.run(["check", "--catalog", example.catalogURL.path])
        #expect(output.status == 1)
        #expect(output.stdout.contains("collection 'recordings' names column 'hold_status', which does not exist"), "\(output.stdout)")
    }

    @Test("A reference cycle is an error with the catalog line and column")
    func cycle() throws {
        let example = try CLI.example()
        try edit(example.catalogURL, "    identifiers: { id: customer_id, email: email, mobile: phone }\n",
                 "    identifiers: { id: customer_id, email: email, mobile: phone }\n    references: { id: recordings.id }\n")
        let output = try CLI.run(["check", "--catalog", example.catalogURL.path])
        #expect(output.status == 1)
        let line = try #require(output.stdout.split(separator: "\n").first { $0.contains("cycle") })
        #expect(line.hasPrefix("dsar.yaml:"), "\(line)")
        #expect(line.contains("customers"))
    }

    @Test("Bad YAML is reported with its line, and nothing else runs")
    func badYAML() throws {
        let example = try CLI.example()
        try edit(example.catalogURL, "  calls:\n    store: crm", "  calls:\n   store: [crm")
        let output = try CLI.run(["check", "--catalog", example.catalogURL.path])
        #expect(output.status == 1)
        #expect(output.stdout.contains("dsar.yaml:") && output.stdout.contains("invalid YAML"), "\(output.stdout)")
    }

    @Test("A missing database file is an error, and is not created")
    func missingStore() throws {
        let example = try CLI.example()
        try FileManager.default.removeItem(at: example.databaseURL)
        let output = try CLI.run(["check", "--catalog", example.catalogURL.path])
        #expect(output.status == 1)
        #expect(output.stdout.contains("store 'crm' does not exist"))
        #expect(!FileManager.default.fileExists(atPath: example.databaseURL.path))
    }

    @Test("A lookup without an index is a warning with the statement that fixes it")
    func missingIndex() throws {
        let example = try CLI.example()
        try sqlite(example.databaseURL, "DROP INDEX customers_email_ci")
        let output = try CLI.run(["check", "--catalog", example.catalogURL.path])
        #expect(output.status == 0)
        #expect(output.stdout.contains("warning: email column 'email' has no case-insensitive index"))
        let advice = try #require(output.stdout.split(separator: "\n").first { $0.contains("no case-insensitive index") })
        #expect(advice.contains(#"(CREATE INDEX "customers_email_ci" ON "customers" ("#), "\(advice)")
        // The advice runs as printed, and the lookup then has its index.
        let statement = String(advice[advice.range(of: "(CREATE INDEX")!.lowerBound...].dropFirst().dropLast())
        try sqlite(example.databaseURL, statement)
        let again = try CLI.run(["check", "--catalog", example.catalogURL.path])
        #expect(!again.stdout.contains("no case-insensitive index"), "\(again.stdout)")
    }

    @Test("A mask the column cannot take is an error of check and of a dry run, naming the catalog line, the column and a fix")
    func unmaskableColumn() throws {
        let example = try CLI.example()
        try edit(example.catalogURL, "mask: { caller_number: hash, agent_notes: \"null\" }", "mask: { caller_number: hash, started_at: \"null\" }")
        let output = try CLI.run(["check", "--catalog", example.catalogURL.path])
        #expect(output.status == 1)
        let line = try #require(output.stdout.split(separator: "\n").first { $0.contains("'started_at'") }, "\(output.stdout)")
        #expect(line.hasPrefix("dsar.yaml:") && line.contains("error") && line.contains("NOT NULL") && line.contains("redact"), "\(line)")
        let dryRun = try CLI.run(["erase", "--subject", "customer_id:1", "--dry-run", "--catalog", example.catalogURL.path])
        #expect(dryRun.status != 0)
        #expect(dryRun.stderr.contains("started_at") && dryRun.stderr.contains("NOT NULL"), "\(dryRun.stderr)")
    }

    @Test("A folder of a files store that cannot be read is an error of check, naming the store and collection")
    func unreadableFolder() throws {
        let example = try CLI.example()
        let loop = example.recordingsURL.appendingPathComponent("voicemail/archive")
        try FileManager.default.createSymbolicLink(atPath: loop.path, withDestinationPath: "archive")
        let output = try CLI.run(["check", "--catalog", example.catalogURL.path])
        #expect(output.status == 1)
        let line = try #require(output.stdout.split(separator: "\n").first { $0.contains("cannot be read") }, "\(output.stdout)")
        #expect(line.hasPrefix("recordings/") && line.contains("error") && line.contains("voicemails"), "\(line)")
    }

    @Test("The catalog is found through DSAR_CATALOG, and its absence is one clear line")
    func catalogLocation() throws {
        let example = try CLI.example()
        let viaEnvironment = try CLI.run(["check"], environment: ["DSAR_CATALOG": example.catalogURL.path])
        #expect(viaEnvironment.status == 0)
        let missing = try CLI.run(["check"], in: FileManager.default.temporaryDirectory, environment: ["DSAR_CATALOG": "/nonexistent/dsar.yaml"])
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("cannot read the catalog file"))
    }

    private func edit(_ url: URL, _ from: String, _ to: String) throws {
        let text = try String(contentsOf: url, encoding: .utf8)
        #expect(text.contains(from), "the example catalog changed")
        try text.replacingOccurrences(of: from, with: to).write(to: url, atomically: true, encoding: .utf8)
    }
}

/// Runs SQL with the sqlite3 shell: a tool that is not ours changes the database.
func sqlite(_ database: URL, _ sql: String) throws {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
    process.arguments = [database.path, sql]
    try process.run()
    process.waitUntilExit()
    #expect(process.terminationStatus == 0, "sqlite3 failed: \(sql)")
}

func sqliteScalar(_ database: URL, _ sql: String) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
    process.arguments = [database.path, sql]
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
}
