import DSARKit
import Foundation
import Testing

/// Asterisk's voicemail spool: `msgNNNN.wav` with a `msgNNNN.txt` beside it whose
/// `callerid="Amel" <+21698123456>` line is the only place the caller is named. A pattern
/// collection with a `sidecar` finds the caller's messages by that line, and packages and
/// erases each recording together with its sidecar.
@Suite("Voicemail sidecar files")
struct VoicemailSidecarTests {
    static let catalog = """
        version: 1
        controller: { name: Atlas Contact SARL, contact: dpo@atlas.example }
        identifiers:
          phone: { type: phone, regions: [TN, FR] }
        stores:
          spool: { type: files, root: spool }
        collections:
          voicemail:
            store: spool
            pattern: "voicemail/{context}/{mailbox}/{folder}/msg{message}.wav"
            sidecar: { file: "msg{message}.txt", fields: [callerid, origtime] }
            identifiers: { callerid: { type: phone, extract: "<([^>]+)>" } }
            purpose: Voicemail left for our agents
            lawfulBasis: legitimate_interest
            erase: delete
        """

    static func sidecar(_ callerID: String, _ time: Int) -> String {
        """
        ;
        ; Message Information file
        ;
        [message]
        origmailbox=3000
        context=from-pstn
        callerid=\(callerID)
        origdate=Mon Mar 16 09:00:00 AM UTC 2026
        origtime=\(time)
        duration=12

        """
    }

    /// Amel's two messages (one written nationally, in another folder), Karim's in the same
    /// mailbox, a longer number that merely contains her digits, and a message without sidecar.
    static let files: [String: String] = [
        "voicemail/default/3000/INBOX/msg0000.wav": "RIFF amel 1",
        "voicemail/default/3000/INBOX/msg0000.txt": sidecar(#""Amel" <+21698123456>"#, 1_773_651_600),
        "voicemail/default/3000/INBOX/msg0001.wav": "RIFF karim",
        "voicemail/default/3000/INBOX/msg0001.txt": sidecar(#""Karim B." <06 12 34 56 78>"#, 1_773_651_700),
        "voicemail/default/3000/Old/msg0000.wav": "RIFF amel 2",
        "voicemail/default/3000/Old/msg0000.txt": sidecar(#""Amel Ben Ali" <98 123 456>"#, 1_773_651_800),
        "voicemail/default/3001/INBOX/msg0000.wav": "RIFF longer",
        "voicemail/default/3001/INBOX/msg0000.txt": sidecar(#""Other" <+216981234567>"#, 1_773_651_900),
        "voicemail/default/3001/INBOX/msg0001.wav": "RIFF no sidecar",
    ]

    private func fixture(_ name: String = #function, extra: [String: String] = [:]) throws -> (URL, Catalog) {
        let folder = try ExampleData.temporaryFolder(name)
        for (path, text) in Self.files.merging(extra, uniquingKeysWith: { _, new in new }) {
            let url = folder.appendingPathComponent("spool/" + path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
        try Self.catalog.write(to: folder.appendingPathComponent("dsar.yaml"), atomically: true, encoding: .utf8)
        return (folder, try Catalog.load(from: folder.appendingPathComponent("dsar.yaml")))
    }

    private func spoolFiles(_ folder: URL) -> [String: String] {
        let base = folder.appendingPathComponent("spool")
        var found: [String: String] = [:]
        for path in FileManager.default.subpaths(atPath: base.path) ?? [] {
            guard let data = FileManager.default.contents(atPath: base.appendingPathComponent(path).path) else { continue }
            found[path] = String(decoding: data, as: UTF8.self)
        }
        return found
    }

    static let amelMessages: Set<String> = ["voicemail[path=voicemail/default/3000/INBOX/msg0000.wav]",
                                            "voicemail[path=voicemail/default/3000/Old/msg0000.wav]"]
    static let amelFiles: Set<String> = ["voicemail/default/3000/INBOX/msg0000.wav", "voicemail/default/3000/INBOX/msg0000.txt",
                                         "voicemail/default/3000/Old/msg0000.wav", "voicemail/default/3000/Old/msg0000.txt"]

    @Test("The caller's messages are found by the caller id in their sidecar, each with its recording and its sidecar; nobody else's",
          arguments: [Masked("phone:+216 98 123 456", "international"), Masked("phone:98123456", "national")])
    func discover(seed: Masked) async throws {
        let (_, catalog) = try fixture()
        let subject = try DataSubject(parsing: [seed.value], catalog: catalog)
        let result = try await Discovery(catalog: catalog, stores: try StoreSet.open(for: catalog)).discover(subject)
        #expect(Set(result.records.map { "\($0.id.collection)[\($0.id.key)]" }) == Self.amelMessages)
        #expect(Set(result.files.map(\.path)) == Self.amelFiles)
        #expect(Set(result.files.map(\.collection)) == ["voicemail"])
        #expect(result.problems.isEmpty)
        let record = try #require(result.records.first { $0.id.key.description.contains("INBOX") })
        #expect(record.record["callerid"] == .text(#""Amel" <+21698123456>"#))
        #expect(record.record["mailbox"] == .text("3000"))
        #expect(record.record["origtime"] == .text("1773651600"))

        let karim = try await Discovery(catalog: catalog, stores: try StoreSet.open(for: catalog))
            .discover(try DataSubject(parsing: ["phone:+33612345678"], catalog: catalog))
        #expect(Set(karim.files.map(\.path)) == ["voicemail/default/3000/INBOX/msg0001.wav", "voicemail/default/3000/INBOX/msg0001.txt"])
    }

    @Test("The access package holds each of the caller's recordings with its sidecar, and no one else's")
    func package() async throws {
        let (folder, catalog) = try fixture()
        let stores = try StoreSet.open(for: catalog)
        let subject = try DataSubject(parsing: ["phone:+21698123456"], catalog: catalog)
        let result = try await Discovery(catalog: catalog, stores: stores).discover(subject, keeping: .linkColumns)
        let url = folder.appendingPathComponent("amel.tar.gz")
        let options = AccessPackageOptions(format: .tarGzip, encryption: .none, requestID: "REQ-VOICEMAIL")
        _ = try await AccessPackageWriter(catalog: catalog, stores: stores).write(result: result, to: url, options: options)
        let extracted = try AccessFixture.extract(url, with: "bsdtar")
        let packaged = AccessFixture.files(below: extracted).filter { $0.hasPrefix("files/") }
        #expect(Set(packaged) == Set(Self.amelFiles.map { "files/spool/" + $0 }))
        let sidecar = try String(contentsOf: extracted.appendingPathComponent("files/spool/voicemail/default/3000/Old/msg0000.txt"), encoding: .utf8)
        #expect(sidecar == Self.files["voicemail/default/3000/Old/msg0000.txt"])
    }

    @Test("Erasure removes each recording and its sidecar (the recording first), verifies, and leaves every other file as it was")
    func erase() async throws {
        let (folder, catalog) = try fixture()
        let before = spoolFiles(folder)
        let stores = try StoreSet.open(for: catalog, readOnly: false)
        let ledger = try Ledger(url: folder.appendingPathComponent(".dsar/ledger.sqlite"))
        try ledger.generateSigningKey()
        let erasure = Erasure(catalog: catalog, stores: stores, ledger: ledger)
        let subject = try DataSubject(parsing: ["phone:+21698123456"], catalog: catalog)
        let plan = try await erasure.plan(for: subject)
        let removals = plan.steps.compactMap { step -> String? in
            if case .removeFile(let path, _) = step.action { path } else { nil }
        }
        #expect(removals == ["voicemail/default/3000/INBOX/msg0000.wav", "voicemail/default/3000/INBOX/msg0000.txt",
                             "voicemail/default/3000/Old/msg0000.wav", "voicemail/default/3000/Old/msg0000.txt"],
                "a recording goes before the sidecar that names its caller")
        let outcome = try await erasure.execute(subject)
        #expect(outcome.isComplete)
        #expect(spoolFiles(folder) == before.filter { !Self.amelFiles.contains($0.key) })
        for path in Self.amelFiles {
            #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("spool/" + path).path), "\(path)")
        }
        #expect(spoolFiles(folder) == Self.files.filter { !Self.amelFiles.contains($0.key) }, "every other file as it was")
    }

    @Test("A sidecar whose recording is gone (an erasure stopped between the two, a file deleted by hand) is still found by its caller id, packaged and erased")
    func orphanedSidecar() async throws {
        let orphan = "voicemail/default/3000/INBOX/msg0002.txt"
        let (folder, catalog) = try fixture(extra: [orphan: Self.sidecar(#""Amel" <+21698123456>"#, 1_773_652_000)])
        let stores = try StoreSet.open(for: catalog, readOnly: false)
        let subject = try DataSubject(parsing: ["phone:+21698123456"], catalog: catalog)
        let result = try await Discovery(catalog: catalog, stores: stores).discover(subject)
        #expect(Set(result.records.map { "\($0.id.collection)[\($0.id.key)]" }) == Self.amelMessages.union(["voicemail[path=\(orphan)]"]))
        #expect(Set(result.files.map(\.path)) == Self.amelFiles.union([orphan]))
        #expect(result.problems.isEmpty)

        let karim = try await Discovery(catalog: catalog, stores: stores)
            .discover(try DataSubject(parsing: ["phone:+33612345678"], catalog: catalog))
        #expect(!karim.files.contains { $0.path == orphan })

        let ledger = try Ledger(url: folder.appendingPathComponent(".dsar/ledger.sqlite"))
        try ledger.generateSigningKey()
        let outcome = try await Erasure(catalog: catalog, stores: stores, ledger: ledger).execute(subject)
        #expect(outcome.isComplete)
        #expect(spoolFiles(folder) == Self.files.filter { !Self.amelFiles.contains($0.key) })
    }

    @Test("dsar check accepts the sidecar form and lists its fields as columns")
    func check() async throws {
        let (_, catalog) = try fixture()
        let problems = await CatalogCheck(catalog: catalog).run()
        #expect(problems.filter { $0.severity == .error }.isEmpty, "\(problems.map(\.description))")
        let voicemail = try #require(catalog.collection(named: "voicemail"))
        let inspection = try await StoreSet.open(for: catalog).store(for: voicemail).inspect(voicemail)
        #expect(Set(inspection.columns) == ["path", "context", "mailbox", "folder", "message", "callerid", "origtime"])
    }

    @Test("Mistakes in a sidecar are errors naming their line", arguments: [
        (#"sidecar: { file: "msg{message}.txt", fields: [callerid] }"#, "table", "store: db\n    table: calls", "only for pattern collections"),
        (#"sidecar: { file: "{stem}.txt", fields: [callerid] }"#, "pattern", nil, "'stem' is not a placeholder"),
        (#"sidecar: { file: "../msg{message}.txt", fields: [callerid] }"#, "pattern", nil, "beside"),
        (#"sidecar: { file: "msg{message}.wav", fields: [callerid] }"#, "pattern", nil, "the file itself"),
        (#"sidecar: { file: "msg{message}.txt" }"#, "pattern", nil, "needs 'fields'"),
        (#"sidecar: { file: "msg{message}.txt", fields: [origtime] }"#, "pattern", nil, "nor a field of its sidecar"),
        (#"sidecar: "msg{message}.txt""#, "pattern", nil, "must be a mapping"),
    ] as [(String, String, String?, String)])
    func parsingErrors(line: String, kind: String, place: String?, message: String) throws {
        let yaml = """
        version: 1
        controller: { name: A, contact: dpo@a.example }
        identifiers: { phone: { type: phone, region: TN } }
        stores: { db: { type: sqlite, path: db.sqlite }, spool: { type: files, root: spool } }
        collections:
          voicemail:
            \(place ?? "store: spool\n    pattern: \"voicemail/{mailbox}/msg{message}.wav\"")
            \(line)
            identifiers: { callerid: { type: phone, extract: "<([^>]+)>" } }
            erase: delete
        """
        let error = try #require(throws: CatalogError.self) {
            try Catalog.parse(yaml: yaml, sourceName: "dsar.yaml", baseDirectory: URL(fileURLWithPath: "/tmp"))
        }
        let text = error.problems.map(\.description).joined(separator: "\n")
        #expect(text.contains(message), "\(kind): \(text)")
        #expect(text.contains("dsar.yaml:"), "\(text)")
    }
}
