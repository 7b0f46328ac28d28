import DSARKit
import Foundation
import GRDB
import Testing

/// `Examples/FreePBX` as a user runs it: `generate.sh` writes FreePBX's `cdr` table (in SQLite),
/// the recordings under `monitor/YYYY/MM/DD/` and the voicemail spool with Asterisk's sidecar
/// files; its `catalog.yaml` must find, package and erase exactly one caller's calls,
/// recordings and messages, and nothing of anyone else.
@Suite("Example: FreePBX")
struct FreePBXExampleTests {
    static let example = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Examples/FreePBX")

    /// A freshly generated example, and its catalog.
    static func generate(_ name: String = #function) throws -> (URL, Catalog) {
        let folder = try ExampleData.temporaryFolder(name).appendingPathComponent("freepbx")
        let output = try ExternalTool.run(["bash", example.appendingPathComponent("generate.sh").path, folder.path])
        try #require(output.status == 0, "generate.sh failed: \(output.stderr)")
        return (folder, try Catalog.load(from: folder.appendingPathComponent("dsar.yaml")))
    }

    static let amel = (
        records: [
            "cdr[uniqueid=1772442904.1,sequence=1]", "cdr[uniqueid=1772443800.3,sequence=3]", "cdr[uniqueid=1772719210.5,sequence=5]",
            "cdr[uniqueid=1773051010.13,sequence=13]", "cdr[uniqueid=1773241200.15,sequence=15]",
            "voicemail[path=voicemail/default/3000/INBOX/msg0000.wav]", "voicemail[path=voicemail/default/3000/Old/msg0000.wav]",
        ] as Set<String>,
        files: [
            "monitor/2026/03/02/in-71222333-98123456-20260302-091504-1772442904.1.wav",
            "monitor/2026/03/05/out-0021698123456-3000-20260305-140010-1772719210.5.wav",
            "monitor/2026/03/09/in-71222333-anonymous-20260309-101010-1773051010.13.wav",
            "monitor/2026/03/11/conf-7000-20260311-150000.wav",
            "voicemail/default/3000/INBOX/msg0000.wav", "voicemail/default/3000/INBOX/msg0000.txt",
            "voicemail/default/3000/Old/msg0000.wav", "voicemail/default/3000/Old/msg0000.txt",
        ] as Set<String>)

    private func items(_ result: DiscoveryResult) -> Set<String> {
        Set(result.records.map(\.id.description))
    }

    @Test("Amel, from any spelling of her number: her calls (caller, callee, withheld number in the caller id), recordings and voicemail",
          arguments: [Masked("phone:+216 98 123 456", "international"), Masked("phone:98123456", "national"), Masked("phone:0021698123456", "00 prefix")])
    func discoverAmel(seed: Masked) async throws {
        let (_, catalog) = try Self.generate()
        let result = try await Discovery(catalog: catalog, stores: try StoreSet.open(for: catalog))
            .discover(try DataSubject(parsing: [seed.value], catalog: catalog))
        #expect(items(result) == Self.amel.records)
        #expect(Set(result.files.map(\.path)) == Self.amel.files)
        #expect(result.conflicts.isEmpty && result.ambiguous.isEmpty && result.problems.isEmpty)
    }

    @Test("Karim (a French number, once without its trunk 0) and Leila: exactly theirs, in the same mailboxes and conference")
    func discoverOthers() async throws {
        let (_, catalog) = try Self.generate()
        let stores = try StoreSet.open(for: catalog)
        let karim = try await Discovery(catalog: catalog, stores: stores)
            .discover(try DataSubject(parsing: ["phone:06 12 34 56 78"], catalog: catalog))
        #expect(items(karim) == ["cdr[uniqueid=1772794800.7,sequence=7]", "cdr[uniqueid=1772796000.9,sequence=9]",
                                 "voicemail[path=voicemail/default/3000/INBOX/msg0001.wav]"])
        #expect(Set(karim.files.map(\.path)) == ["monitor/2026/03/06/in-71222333-0612345678-20260306-110000-1772794800.7.wav",
                                                 "voicemail/default/3000/INBOX/msg0001.wav", "voicemail/default/3000/INBOX/msg0001.txt"])
        let leila = try await Discovery(catalog: catalog, stores: stores)
            .discover(try DataSubject(parsing: ["phone:+216 20 111 222"], catalog: catalog))
        #expect(items(leila) == ["cdr[uniqueid=1772901900.10,sequence=10]", "cdr[uniqueid=1773241200.16,sequence=16]",
                                 "voicemail[path=voicemail/default/3001/Urgent/msg0000.wav]"])
    }

    @Test("dsar check finds nothing wrong with the example's catalog")
    func check() async throws {
        let (_, catalog) = try Self.generate()
        let problems = await CatalogCheck(catalog: catalog).run()
        #expect(problems.isEmpty, "\(problems.map(\.description))")
    }

    @Test("Amel's access package: her calls, recordings, messages and their sidecars, nothing else")
    func package() async throws {
        let (folder, catalog) = try Self.generate()
        let stores = try StoreSet.open(for: catalog)
        let result = try await Discovery(catalog: catalog, stores: stores)
            .discover(try DataSubject(parsing: ["phone:+21698123456"], catalog: catalog), keeping: .linkColumns)
        let url = folder.appendingPathComponent("amel.tar.gz")
        let options = AccessPackageOptions(format: .tarGzip, encryption: .none, requestID: "REQ-FREEPBX")
        _ = try await AccessPackageWriter(catalog: catalog, stores: stores).write(result: result, to: url, options: options)
        let extracted = try AccessFixture.extract(url, with: "bsdtar")
        let files = AccessFixture.files(below: extracted)
        #expect(Set(files.filter { $0.hasPrefix("files/") }) == Set(Self.amel.files.map { "files/spool/" + $0 }))
        let manifest = try AccessFixture.manifest(in: extracted)
        let records = Set(manifest.records.map { entry in
            "\(entry.collection)[\(entry.key.sorted { $0.key > $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ","))]"
        })
        #expect(records == Self.amel.records)
    }

    @Test("Erasing Amel deletes her rows, recordings and messages with their sidecars; the shared conference recording and everyone else's data stay")
    func erase() async throws {
        let (folder, catalog) = try Self.generate()
        let database = try DatabaseQueue(path: folder.appendingPathComponent("asteriskcdrdb.sqlite").path)
        func rows() throws -> [String: String] {
            try database.read { db in
                var rows: [String: String] = [:]
                for row in try Row.fetchAll(db, sql: "SELECT * FROM cdr") {
                    let key = "cdr[uniqueid=\(row["uniqueid"] as String),sequence=\(row["sequence"] as Int)]"
                    rows[key] = row.description
                }
                return rows
            }
        }
        let spool = folder.appendingPathComponent("spool")
        func files() -> [String: Data] {
            var files: [String: Data] = [:]
            for path in FileManager.default.subpaths(atPath: spool.path) ?? [] {
                if let data = FileManager.default.contents(atPath: spool.appendingPathComponent(path).path) { files[path] = data }
            }
            return files
        }
        let (rowsBefore, filesBefore) = (try rows(), files())
        let ledger = try Ledger(url: folder.appendingPathComponent(".dsar/ledger.sqlite"))
        try ledger.generateSigningKey()
        let erasure = Erasure(catalog: catalog, stores: try StoreSet.open(for: catalog, readOnly: false), ledger: ledger)
        let subject = try DataSubject(parsing: ["phone:+216 98 123 456"], catalog: catalog)
        let plan = try await erasure.plan(for: subject)
        #expect(plan.collection("cdr")?.keptFiles.map(\.reason) == ["still linked by cdr[uniqueid=1773241200.16,sequence=16]"])
        let outcome = try await erasure.execute(subject)
        #expect(outcome.isComplete)

        let conference = "monitor/2026/03/11/conf-7000-20260311-150000.wav"
        #expect(try rows() == rowsBefore.filter { !Self.amel.records.contains($0.key) })
        #expect(files() == filesBefore.filter { !Self.amel.files.contains($0.key) || $0.key == conference })
        #expect(files()[conference] != nil, "Leila's row still links the conference recording")
        let again = try await Discovery(catalog: catalog, stores: try StoreSet.open(for: catalog)).discover(subject)
        #expect(again.records.isEmpty)
    }
}
