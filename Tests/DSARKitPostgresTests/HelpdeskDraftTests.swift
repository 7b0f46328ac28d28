import DSARKit
import DSARKitPostgres
import Foundation
import Logging
import Testing

/// The draft of the Helpdesk example (Chatwoot on the real PostgreSQL server, ActiveStorage files
/// in a folder), against its hand catalog.
@Suite("Drafting the Helpdesk example on PostgreSQL")
struct HelpdeskDraftTests {
    static let example = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Examples/Helpdesk")

    static func identifiers(_ catalog: Catalog, tables: Set<String>) -> Set<String> {
        Set(catalog.collections.filter { tables.contains($0.table ?? "") }.flatMap { c in
            c.identifiers.map { "\(c.table ?? "").\($0.column)=\($0.type)" }
        })
    }

    static func references(_ catalog: Catalog, tables: Set<String>) -> Set<String> {
        let table = Dictionary(uniqueKeysWithValues: catalog.collections.map { ($0.name, $0.table ?? $0.name) })
        return Set(catalog.collections.filter { tables.contains($0.table ?? "") }.flatMap { c in
            c.references.filter { tables.contains(table[$0.targetCollection] ?? "") }.map { reference in
                "\(c.table ?? "").\(reference.column)→\(table[reference.targetCollection] ?? "?").\(reference.targetColumn)"
                    + reference.conditions.map { " when \($0.column)=\($0.values.joined(separator: "|"))" }.joined()
            }
        })
    }

    @Test("the draft reproduces the hand catalog's identifiers, references (polymorphic ones too) and blob files; differences are deliberate")
    func draftMatchesHandCatalog() async throws {
        guard PostgresTestServer.available(), let url = PostgresTestServer.url else { return }
        try await PostgresTestServer.withSchema { schema, _ in
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("dsar-helpdesk-draft-\(UUID().uuidString.prefix(8))")
            let password = ProcessInfo.processInfo.environment[PostgresTestServer.passwordVariable] ?? ""
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["bash", Self.example.appendingPathComponent("generate.sh").path, folder.path, schema]
            process.environment = ProcessInfo.processInfo.environment.merging(
                ["DATABASE_URL": url, "PGPASSWORD": password, "HELPDESK_PASSWORD_ENV": PostgresTestServer.passwordVariable]) { _, new in new }
            try process.run()
            process.waitUntilExit()
            try #require(process.terminationStatus == 0, "generate.sh failed")
            let hand = try Catalog.load(from: folder.appendingPathComponent("dsar.yaml"))
            let store = try PostgresStore(declaration: PostgresTestServer.declaration(name: "chatwoot", schema: schema),
                                          environment: ProcessInfo.processInfo.environment, logger: Logger(label: "test"))
            defer { store.close() }
            let draft = try await CatalogDraft.read(
                [(CatalogDraft.Store(name: "chatwoot", type: "postgres", location: url,
                                     settings: ["passwordEnv": PostgresTestServer.passwordVariable, "schema": schema]), store)],
                folders: [(CatalogDraft.Store(name: "storage", type: "files", location: "storage"),
                           try FolderStore(name: "storage", root: folder.appendingPathComponent("storage")))],
                regions: ["TN", "FR"])
            let drafted = try Catalog.parse(yaml: draft.yaml, sourceName: "draft.yaml", baseDirectory: folder)
            // The hand catalog leaves out the tenant tables (accounts, inboxes) and the references to them: it scopes
            // the store by account instead. Compared on the tables it catalogues, the draft differs on purpose by:
            // - users.uid: Chatwoot's login, a copy of the agent's email; the draft reports it as an email column, the
            //   hand catalog does not search staff by it;
            // - users.id: the draft cannot tell staff from customers, so the key of users (an email table other tables
            //   point at) is guessed as a person's id (`user_id`), as contacts.id is (`contact_id`, in both);
            // - conversations.assignee_id → users.id: the name names no table, and the draft guesses from names only.
            let tables = Set(hand.collections.compactMap(\.table))
            #expect(Self.identifiers(drafted, tables: tables) == Self.identifiers(hand, tables: tables).union(["users.uid=email", "users.id=user_id"]),
                    "\(draft.yaml)")
            #expect(Self.references(drafted, tables: tables)
                    == Self.references(hand, tables: tables).subtracting(["conversations.assignee_id→users.id"]))
            #expect(drafted.collections.first { $0.table == "active_storage_blobs" }?.files?.template?.text
                    == hand.collection(named: "blobs")?.files?.template?.text)
        }
    }
}
