import DSARKit
import Foundation
import Testing

/// The draft of the FreePBX example's database and spool, against its hand catalog.
@Suite("Drafting the FreePBX example")
struct FreePBXDraftTests {
    @Test("the draft reproduces the hand catalog's caller identifiers and recording link; differences are deliberate")
    func draftMatchesHandCatalog() async throws {
        let (folder, hand) = try FreePBXExampleTests.generate()
        let database = folder.appendingPathComponent("asteriskcdrdb.sqlite").path
        let draft = try await CatalogDraft.read(
            [(CatalogDraft.Store(name: "pbx", type: "sqlite", location: "asteriskcdrdb.sqlite"), try SQLiteStore(name: "pbx", path: database))],
            folders: [(CatalogDraft.Store(name: "spool", type: "files", location: "spool"),
                       try FolderStore(name: "spool", root: folder.appendingPathComponent("spool")))],
            regions: ["TN", "FR"])
        let drafted = try Catalog.parse(yaml: draft.yaml, sourceName: "draft.yaml", baseDirectory: folder)
        let identifiers = { (catalog: Catalog) in
            Set(catalog.collections.filter { $0.table != nil }.flatMap { c in c.identifiers.map { "\(c.table ?? "").\($0.column)=\($0.type)" } })
        }
        // Deliberate differences, on the cdr table:
        // - dst: mostly extensions (3000, 7000); 1 of 10 sampled values is a number (a call back), too few to say;
        // - did: the number callers dialled, the controller's own, on 9 of 10 rows: held back with a review note (as an
        //   identifier it would link every caller to every other), for the officer to put in coverage.ignore.
        #expect(identifiers(drafted) == identifiers(hand).subtracting(["cdr.dst=phone"]), "\(draft.yaml)")
        #expect(draft.yaml.contains("    # review: did is not drafted as an identifier: 9 of 9 non-empty sampled values are one and the same phone number "
                                    + "(the controller's own?); if so, list it in coverage.ignore with that reason"))
        #expect(draft.yaml.contains("      clid: { type: phone, extract: \"<([^>]+)>\" }  # 80% of 10 sampled values parse as phone numbers (TN, FR) between < and >"))
        #expect(drafted.collection(named: "cdr")?.identifiers.first { $0.column == "clid" }?.extract
                == hand.collection(named: "cdr")?.identifiers.first { $0.column == "clid" }?.extract)
        #expect(drafted.collection(named: "cdr")?.files?.template?.text == hand.collection(named: "cdr")?.files?.template?.text)
        #expect(Set(drafted.collections.flatMap(\.references).map(\.column)) == Set(hand.collections.flatMap(\.references).map(\.column)))
    }

    @Test("the voicemail spool's msgNNNN.txt sidecars are drafted as the hand catalog reads them, the caller read with extract")
    func sidecarsMatchHandCatalog() async throws {
        let (folder, hand) = try FreePBXExampleTests.generate()
        let draft = try await CatalogDraft.read(
            [(CatalogDraft.Store(name: "pbx", type: "sqlite", location: "asteriskcdrdb.sqlite"),
              try SQLiteStore(name: "pbx", path: folder.appendingPathComponent("asteriskcdrdb.sqlite").path))],
            folders: [(CatalogDraft.Store(name: "spool", type: "files", location: "spool"),
                       try FolderStore(name: "spool", root: folder.appendingPathComponent("spool")))],
            regions: ["TN", "FR"])
        let yaml = draft.yaml
        #expect(CrossStoreDraftTests.entry("spool_voicemail", in: yaml) == [
            "  spool_voicemail:", "    store: spool", "    pattern: \"voicemail/default/{folder1}/{dir1}/msg{n1}.wav\"",
            "    sidecar: { file: \"msg{n1}.txt\", fields: [callerid] }", "    identifiers:",
            "      callerid: { type: phone, extract: \"<([^>]+)>\" }  # 80% of 5 sampled values parse as phone numbers (TN, FR) between < and >; "
                + "the line is in every sampled sidecar",
            "    # review: sidecar field rdnis is not drafted as an identifier: 5 of 5 non-empty sampled values are one and the same phone number "
                + "(the controller's own?); if so, list it in coverage.ignore with that reason",
        ], "\(yaml)")
        let drafted = try #require(try Catalog.parse(yaml: yaml, sourceName: "draft.yaml", baseDirectory: folder).collection(named: "spool_voicemail"))
        let voicemail = try #require(hand.collection(named: "voicemail"))
        // The same files, and the same caller field read the same way.
        let spool = try FileManager.default.subpathsOfDirectory(atPath: folder.appendingPathComponent("spool").path)
        #expect(spool.filter { drafted.pattern?.match($0) != nil } == spool.filter { voicemail.pattern?.match($0) != nil })
        #expect(drafted.identifiers.first { $0.column == "callerid" } == voicemail.identifiers.first { $0.column == "callerid" })
        let draftedFields: Set<String> = Set(drafted.sidecar?.fields ?? [])
        let handFields: Set<String> = Set(voicemail.sidecar?.fields ?? [])
        #expect(draftedFields.isSubset(of: handFields))
        // The drafted catalog finds Amel's voicemails and their sidecars as the hand catalog does.
        let parsed = try Catalog.parse(yaml: yaml, sourceName: "draft.yaml", baseDirectory: folder)
        let found = try await Discovery(catalog: parsed, stores: try StoreSet.open(for: parsed))
            .discover(try DataSubject(parsing: ["phone:98123456"], catalog: parsed))
        #expect(Set(found.files.map(\.path).filter { $0.hasPrefix("voicemail/") }) == FreePBXExampleTests.amel.files.filter { $0.hasPrefix("voicemail/") })
        let phones = ["21698123456", "612345678", "98 123 456", "Amel", "Karim"]
        #expect(phones.allSatisfy { !yaml.contains($0) })
    }
}
