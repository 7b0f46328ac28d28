import CallCenterExample
import DSARKit
import Foundation
import Testing

/// A files store that fails after `failAfter` bytes of one read, or lies about sizes.
struct SabotagedFileStore: FileStore {
    enum Sabotage: Sendable { case failMidway, growBy(Int64) }
    let inner: FolderStore
    let sabotage: Sabotage
    var name: String { inner.name }

    struct Unplugged: Error {}

    func records(in collection: DataCollection, where match: ColumnMatch) -> AsyncThrowingStream<Record, any Error> {
        inner.records(in: collection, where: match)
    }
    func inspect(_ collection: DataCollection) async throws -> CollectionInspection { try await inner.inspect(collection) }
    func file(at path: String) async throws -> StoredFile? { try await inner.file(at: path) }

    func read(_ file: StoredFile, chunkSize: Int, into body: (UnsafeRawBufferPointer) throws -> Void) async throws {
        switch sabotage {
        case .failMidway:
            var sent = 0
            try await inner.read(file, chunkSize: 1024) { chunk in
                if sent > 4096 { throw Unplugged() }
                sent += chunk.count
                try body(chunk)
            }
        case .growBy(let extra):
            // The file grew after discovery measured it: more bytes arrive than were declared.
            try await inner.read(file, chunkSize: chunkSize, into: body)
            try [UInt8](repeating: 0, count: Int(extra)).withUnsafeBytes(body)
        }
    }
}

@Suite("Access packages that cannot be written leave nothing behind")
struct AccessFailureTests {
    func attempt(_ sabotage: SabotagedFileStore.Sabotage?, result transform: (inout DiscoveryResult) -> Void = { _ in },
                 options: AccessPackageOptions = AccessFixture.options(.zip)) async throws -> (URL, (any Error)?) {
        let fixture = try AccessFixture()
        var stores = fixture.stores
        if let sabotage {
            let inner = try FolderStore(name: "recordings", root: fixture.dataSet.recordingsURL)
            stores = try StoreSet.open(for: fixture.catalog, supplied: [SabotagedFileStore(inner: inner, sabotage: sabotage)])
        }
        var result = try await fixture.discover(["email:amel.benali@example.tn"])
        transform(&result)
        let folder = try ExampleData.temporaryFolder()
        let url = folder.appendingPathComponent("package.zip")
        do {
            _ = try await AccessPackageWriter(catalog: fixture.catalog, stores: stores).write(result: result, to: url, options: options)
            return (url, nil)
        } catch {
            return (url, error)
        }
    }

    func expectNothingLeft(_ url: URL) throws {
        let left = try FileManager.default.contentsOfDirectory(atPath: url.deletingLastPathComponent().path)
        #expect(left.isEmpty, "no package and no temporary file: \(left)")
    }

    @Test("A store failing mid-copy: an error naming store, collection and key, no file at --out")
    func storeFails() async throws {
        let (url, error) = try await attempt(.failMidway)
        let failure = try #require(error as? DSARError)
        #expect(failure.code == .storeFailure)
        #expect(failure.description.contains("recordings/recordings[id="), "\(failure)")
        #expect(!failure.description.contains(".wav"), "no file path in the message")
        try expectNothingLeft(url)
    }

    @Test("A file that grew since discovery: refused, nothing left")
    func fileGrew() async throws {
        let (url, error) = try await attempt(.growBy(10))
        let failure = try #require(error as? DSARError)
        #expect(failure.code == .archiveFailure, "\(failure)")
        #expect(failure.description.contains("grew"))
        try expectNothingLeft(url)
    }

    @Test("A file that shrank or vanished since discovery: refused, nothing left, no voicemail path in the message")
    func fileShrankOrVanished() async throws {
        let (shrunk, shrinkError) = try await attempt(nil) { result in
            result.files = result.files.map { var file = $0; file.size += 100; return file }
        }
        #expect((shrinkError as? DSARError) != nil, "\(String(describing: shrinkError))")
        try expectNothingLeft(shrunk)
        let (vanished, vanishError) = try await attempt(nil) { result in
            result.files = result.files.map { var file = $0; file.path += ".gone"; return file }
        }
        let failure = try #require(vanishError as? DSARError)
        #expect(!failure.description.contains("0021698123456"), "\(failure)")
        try expectNothingLeft(vanished)
    }

    @Test("tar formats with a passphrase are refused before anything is written", arguments: [PackageFormat.tarGzip, .tarZstd])
    func tarWithPassphrase(_ format: PackageFormat) async throws {
        var options = AccessFixture.options(format)
        options.encryption = .passphrase(AccessFixture.passphrase)
        let (url, error) = try await attempt(nil, options: options)
        #expect((error as? DSARError)?.code == .invalidRequest)
        #expect("\(error!)".contains("cannot be encrypted"))
        try expectNothingLeft(url)
    }

    @Test("An existing file is never replaced unless asked")
    func existingOutput() async throws {
        let fixture = try AccessFixture()
        let result = try await fixture.discover(["email:amel.benali@example.tn"])
        let folder = try ExampleData.temporaryFolder()
        let url = folder.appendingPathComponent("package.zip")
        try Data("precious".utf8).write(to: url)
        let writer = AccessPackageWriter(catalog: fixture.catalog, stores: fixture.stores)
        await #expect(throws: DSARError.self) { try await writer.write(result: result, to: url, options: AccessFixture.options(.zip)) }
        #expect(try Data(contentsOf: url) == Data("precious".utf8))
        var options = AccessFixture.options(.zip)
        options.overwrite = true
        _ = try await writer.write(result: result, to: url, options: options)
        #expect(try PackageVerifier.verify(url).isValid)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["package.zip"])
        let permissions = try FileManager.default.attributesOfItem(atPath: url.path)[.posixPermissions] as? Int
        #expect(permissions == 0o600, "a package of personal data is readable by its owner only")
    }

    @Test("Short passphrases are refused; generated ones are long and differ")
    func passphrases() throws {
        #expect(throws: DSARError.self) { try Passphrase("short") }
        let one = Passphrase.generate(), two = Passphrase.generate()
        #expect(one != two)
        #expect(one.value.count == 34)
        #expect("\(one)" == "<passphrase>", "redacted in logs and interpolations")
    }
}
