import Foundation
import Testing

/// `dsar catalog draft --store NAME=postgres://…` against the real server `.ci/postgres.sh` starts.
@Suite("dsar catalog draft on PostgreSQL")
struct CatalogDraftPostgresCommandTests {
    static let personal = ["amel.benali@example.tn", "+21698123456", "06 12 34 56 78", "nadia@atlas.example"]

    /// Runs SQL with psql as the test server's owner.
    static func psql(_ url: String, _ sql: String) throws {
        let result = try CLI.launch(URL(fileURLWithPath: "/usr/bin/env"), ["psql", "-v", "ON_ERROR_STOP=1", "-q", url, "-c", sql],
                                    environment: ["PGPASSWORD": ProcessInfo.processInfo.environment["DSAR_TEST_POSTGRES_PASSWORD"] ?? ""])
        guard result.status == 0 else { throw CLIFixtureError("psql failed: \(result.stderr)") }
    }

    @Test("drafts a schema's keys, identifiers (JSON keys too) and polymorphic pair; the draft reads back and check asks for the TODOs")
    func draftFromPostgres() throws {
        guard let url = LedgerKind.url else {
            if ProcessInfo.processInfo.environment["CI"] == "true" { Issue.record("CI must provide PostgreSQL (source .ci/postgres.sh)") }
            return
        }
        let schema = "cli_draft_" + UUID().uuidString.lowercased().filter { $0 != "-" }
        try Self.psql(url, """
            CREATE SCHEMA \(schema);
            CREATE TABLE \(schema).contacts (id serial PRIMARY KEY, email varchar, phone_number varchar, custom_attributes jsonb DEFAULT '{}');
            CREATE TABLE \(schema).users (id serial PRIMARY KEY, email varchar);
            CREATE TABLE \(schema).messages (id serial PRIMARY KEY, content text, sender_type varchar, sender_id bigint);
            INSERT INTO \(schema).contacts VALUES (1, '\(Self.personal[0])', '\(Self.personal[1])', '{}'),
                                                  (2, NULL, NULL, '{"mobile": "\(Self.personal[2])"}');
            INSERT INTO \(schema).users VALUES (1, '\(Self.personal[3])');
            INSERT INTO \(schema).messages VALUES (10, 'bonjour', 'Contact', 1), (11, 'merci', 'User', 1), (12, 'ok', 'Contact', 2);
            """)
        defer { try? Self.psql(url, "DROP SCHEMA \(schema) CASCADE") }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("dsar-cli-pgdraft-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let out = folder.appendingPathComponent("draft.yaml")
        let draft = try CLI.run(["catalog", "draft", "--store", "desk=\(url)", "--password-env", "DSAR_TEST_POSTGRES_PASSWORD",
                                 "--schema", schema, "--regions", "TN,FR", "--out", out.path])
        #expect(draft.status == 0, "\(draft.stderr)")
        let yaml = try String(contentsOf: out, encoding: .utf8)
        #expect(yaml.contains("desk: { type: postgres, url: \"\(url)\", passwordEnv: \"DSAR_TEST_POSTGRES_PASSWORD\", schema: \"\(schema)\" }"), "\(yaml)")
        #expect(yaml.contains("      email: email  # 100% of 1 sampled value parse as email addresses"))
        #expect(yaml.contains("      phone_number: phone  #"))
        #expect(yaml.contains("      custom_attributes.mobile: phone  # 100% of 1 sampled value parse as phone numbers (TN, FR); the key is in 1 of 2"))
        #expect(yaml.contains("        - { to: contacts.id, when: { sender_type: Contact } }  # guess: polymorphic; all 2 sampled values"))
        #expect(yaml.contains("        - { to: users.id, when: { sender_type: User } }  # guess: polymorphic; all 1 sampled value"))
        let check = try CLI.run(["check", "--catalog", out.path])
        #expect(check.status == 1)
        #expect(check.stdout.contains("the purpose of collection 'messages' is still TODO"), "\(check.stdout)\(check.stderr)")
        let printed = [draft.stdout, draft.stderr, yaml, check.stdout, check.stderr].joined(separator: "\n")
        #expect(Self.personal.allSatisfy { !printed.contains($0) }, "a sampled value was printed")
        #expect(!printed.contains(ProcessInfo.processInfo.environment["DSAR_TEST_POSTGRES_PASSWORD"] ?? "\u{0}"))
    }
}
