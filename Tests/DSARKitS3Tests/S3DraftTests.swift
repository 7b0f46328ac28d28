import CallCenterExample
import DSARKit
import DSARKitS3
import Foundation
import Logging
import Testing

/// `dsar catalog draft` and `dsar check --coverage` reading a bucket's object keys as they read a
/// folder's file names, against the real rclone server.
@Suite("Drafts and coverage of S3 buckets")
struct S3DraftTests {
    /// National numbers (FR) of nobody in the example, for file names outside the catalog.
    static let callbackPhones = ["0611223344", "0699887766"]

    /// Every email and phone number of the example's people, as stored and normalised.
    static func personalValues(_ example: CallCenterDataSet) -> [String] {
        example.people.flatMap { [$0.email, $0.storedEmail] + $0.phones + ($0.storedMobile.map { [$0] } ?? []) } + callbackPhones
    }

    static func draft(_ example: CallCenterDataSet, files: (store: CatalogDraft.Store, folder: any ListableFileStore)) async throws -> CatalogDraft {
        try await CatalogDraft.read([(CatalogDraft.Store(name: "crm", type: "sqlite", location: "data/crm.sqlite"),
                                      try SQLiteStore(name: "crm", path: example.databaseURL.path))],
                                    folders: [files], regions: ["FR"])
    }

    @Test("the example's recordings in a bucket draft the same collections as in a folder: the voicemail pattern and the recordings' files link (rclone)")
    func draftMatchesFolderDraft() async throws {
        guard let server = S3TestServer.rclone else { return }
        let (example, bucket) = try await S3ExampleTests.makeExample(server)
        let fromFolder = try await Self.draft(example, files: (CatalogDraft.Store(name: "recordings", type: "files", location: "data/recordings"),
                                                              try FolderStore(name: "recordings", root: example.recordingsURL)))
        let declaration = server.declaration(name: "recordings", bucket: bucket)
        let fromBucket = try await Self.draft(example, files: (CatalogDraft.Store(name: "recordings", type: "s3", location: "s3://\(bucket)/",
                                                                                  settings: declaration.settings),
                                                              try server.store(name: "recordings", bucket: bucket)))
        #expect(fromBucket.collections == fromFolder.collections)
        let yaml = fromBucket.yaml
        #expect(yaml.contains("    files: { store: recordings, column: path }  #"), "\(yaml)")
        #expect(yaml.contains("    pattern: \"voicemail/{phone}_{"), "\(yaml)")
        #expect(yaml.contains("  recordings: { type: s3, accessKeyEnv: \"S3_TEST_ACCESS_KEY\", bucket: \"\(bucket)\", endpoint: "), "\(yaml)")

        // The drafted catalog declares the bucket as a catalog does, and finds a caller's voicemails in it.
        let catalog = try Catalog.parse(yaml: yaml, sourceName: "draft.yaml", baseDirectory: example.directory)
        #expect(catalog.store(named: "recordings")?.type == "s3")
        let stores = try StoreSet.open(for: catalog, openers: ["s3": S3Store.opener(environment: server.credentialsEnvironment)])
        let person = try #require(example.people.first { person in
            example.expectation(for: person).files.contains { $0.hasPrefix("recordings/voicemail/") }
        })
        let found = try await Discovery(catalog: catalog, stores: stores).discover(try DataSubject(parsing: ["email:\(person.email)"], catalog: catalog))
        let expected = example.expectation(for: person).files.filter { $0.hasPrefix("recordings/voicemail/") }
        #expect(Set(found.files.map { "\($0.store)/\($0.path)" }.filter { $0.hasPrefix("recordings/voicemail/") }) == expected)

        let printed = yaml + String(decoding: try JSONEncoder().encode(fromBucket), as: UTF8.self)
        let leaked = Self.personalValues(example).filter { printed.contains($0) }
        #expect(leaked.isEmpty, "\(leaked.count) personal values in the draft")
    }

    @Test("coverage of a bucket reports an uncatalogued prefix whose object names hold phone numbers, and honours coverage.ignore (rclone)")
    func coverage() async throws {
        guard let server = S3TestServer.rclone else { return }
        let (example, bucket) = try await S3ExampleTests.makeExample(server)
        var catalog = try Catalog.load(from: example.s3CatalogURL)
        let run = { (catalog: Catalog) async throws -> CoverageReport in
            // A fresh store each time: its listing is not reused from the run before.
            let stores = try S3ExampleTests.stores(catalog)
            let sources = catalog.stores.compactMap { stores.stores[$0.name] as? any SchemaSource }
            let folders = catalog.stores.compactMap { stores.stores[$0.name] as? any ListableFileStore }
            #expect(folders.map(\.name) == ["recordings"])
            return try await CoverageCheck(catalog: catalog).run(sources: sources, folders: folders)
        }
        #expect(try await run(catalog).unmappedFiles.isEmpty)

        for (index, phone) in Self.callbackPhones.enumerated() {
            try await server.put(bucket, "callbacks/\(phone)-2026031\(index).wav", Data("RIFF".utf8))
        }
        let report = try await run(catalog)
        #expect(report.unmappedFiles.map { "\($0.store)/\($0.pattern)" } == ["recordings/callbacks/{phone}-{date}.wav"])
        #expect(report.hasUnmappedIdentifiers)
        let output = report.lines.joined(separator: "\n") + String(decoding: try JSONEncoder().encode(report), as: UTF8.self)
        #expect(output.contains("recordings/callbacks/{phone}-{date}.wav: files whose names hold phone numbers, which no collection covers"), "\(output)")
        #expect(Self.personalValues(example).allSatisfy { !output.contains($0) })

        let text = try String(contentsOf: example.s3CatalogURL, encoding: .utf8)
        catalog = try Catalog.parse(yaml: text + "coverage:\n  ignore:\n    - { folder: recordings/callbacks, reason: \"call-back prompts, erased nightly\" }\n",
                                    sourceName: "dsar-s3.yaml", baseDirectory: example.directory)
        let ignored = try await run(catalog)
        #expect(ignored.unmappedFiles.isEmpty)
        #expect(ignored.ignoredFiles == 2)
        #expect(!ignored.hasUnmappedIdentifiers)
    }

    @Test("voicemails with msgNNNN.txt sidecars draft the same sidecar collection from a bucket as from a folder, sidecars read through the store (rclone)")
    func sidecarsFromBucket() async throws {
        guard let server = S3TestServer.rclone else { return }
        let phones = ["0611223344", "0699887766", "0622334455", "0633445566"]
        var files: [String: Data] = [:]
        for (index, phone) in phones.enumerated() {
            let folder = "voicemail/default/100\(index % 2)/\(index < 2 ? "INBOX" : "Old")/"
            files[folder + "msg000\(index).wav"] = Data("RIFF".utf8)
            files[folder + "msg000\(index).txt"] = Data("[message]\norigmailbox=100\(index % 2)\ncallerid=\"Caller\" <\(phone)>\n".utf8)
        }
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("dsar-s3-sidecars-\(UUID().uuidString.prefix(8))")
        for (path, data) in files {
            let url = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try data.write(to: url)
        }
        let bucket = S3TestServer.bucketName()
        try await server.createBucket(bucket)
        try await server.put(bucket, files: files, prefix: "spool/")
        let fromFolder = try await CatalogDraft.read([], folders: [(CatalogDraft.Store(name: "spool", type: "files", location: "spool"),
                                                                   try FolderStore(name: "spool", root: root))], regions: ["FR"])
        let fromBucket = try await CatalogDraft.read([], folders: [(CatalogDraft.Store(name: "spool", type: "s3", location: "s3://\(bucket)/spool/"),
                                                                   try server.store(name: "spool", bucket: bucket, prefix: "spool/"))], regions: ["FR"])
        #expect(fromBucket.collections == fromFolder.collections)
        let sidecar = try #require(fromBucket.collections.first { $0.sidecar != nil })
        #expect(sidecar.pattern == "voicemail/default/{folder1}/{dir1}/msg{n1}.wav")
        #expect(sidecar.sidecar?.fields == ["callerid"])
        #expect(phones.allSatisfy { !fromBucket.yaml.contains($0) })
    }

    @Test("a bucket's pattern collection with a sidecar is refused with an error naming it, never searched as if it had no match")
    func sidecarRefused() async throws {
        let catalog = try Catalog.parse(yaml: """
            version: 1
            controller: { name: Test, contact: dpo@example.test }
            identifiers: { phone: { type: phone, region: FR } }
            stores:
              spool: { type: s3, endpoint: "http://127.0.0.1:9", bucket: spool, accessKeyEnv: A, secretKeyEnv: B }
            collections:
              voicemail:
                store: spool
                pattern: "voicemail/msg{n}.wav"
                sidecar: { file: "msg{n}.txt", fields: [callerid] }
                identifiers: { callerid: phone }
                purpose: { en: Voicemails }
                lawfulBasis: legitimate_interest
                retention: { en: 3 months }
                erase: delete
            """, sourceName: "dsar.yaml", baseDirectory: FileManager.default.temporaryDirectory)
        let collection = try #require(catalog.collection(named: "voicemail"))
        let store = S3Store(name: "spool", configuration: S3StoreConfiguration(endpoint: URL(string: "http://127.0.0.1:9")!, bucket: "spool",
                                                                               accessKey: "a", secretKey: "b"), logger: Logger(label: "test"))
        let error = await #expect(throws: DSARError.self) {
            for try await _ in store.records(in: collection, where: ColumnMatch(column: "callerid", values: [.text("0611223344")])) {}
        }
        #expect(error?.code == .unsupported)
        #expect(error?.location == "spool/voicemail")

        // dsar check names it before any discovery, without reaching the server.
        let problems = await CatalogCheck(catalog: catalog).check(stores: try StoreSet.open(for: catalog, supplied: [store]))
        #expect(problems.contains { $0.severity == .error && $0.place == "spool/voicemail/msg{n}.wav"
            && $0.message.contains("does not read sidecar files") }, "\(problems)")
    }
}
