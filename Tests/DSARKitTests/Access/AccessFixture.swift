import CallCenterExample
import Crypto
import DSARKit
import Foundation
import GRDB
import Testing

/// Builds packages from a call-centre example and takes them apart with tools that are not ours.
struct AccessFixture {
    static let date = Date(timeIntervalSince1970: 1_780_000_000) // 2026-05-28T20:26:40Z
    static let passphrase = try! Passphrase("correct-horse-battery-staple-42")

    let dataSet: CallCenterDataSet
    let catalog: Catalog
    let stores: StoreSet

    init(_ dataSet: CallCenterDataSet = ExampleData.dataSet) throws {
        self.dataSet = dataSet
        catalog = try Catalog.load(from: dataSet.catalogURL)
        stores = try StoreSet.open(for: catalog)
    }

    func discover(_ identifiers: [String]) async throws -> DiscoveryResult {
        let subject = try DataSubject(parsing: identifiers, catalog: catalog)
        // As `dsar access` does: the writer reads the records' contents back itself.
        return try await Discovery(catalog: catalog, stores: stores).discover(subject, keeping: .linkColumns)
    }

    static func options(_ format: PackageFormat, encrypted: Bool = false, language: PackageLanguage = .en,
                        portability: Bool = false) -> AccessPackageOptions {
        AccessPackageOptions(format: format, encryption: encrypted ? .passphrase(passphrase) : .none, language: language,
                             portability: portability, requestID: "REQ-TEST-1", generatedAt: date)
    }

    /// Writes the package of `email` into a fresh folder.
    func write(_ email: String, _ options: AccessPackageOptions, name: String = #function) async throws -> (URL, PackageSummary) {
        let result = try await discover(["email:\(email)"])
        let folder = try ExampleData.temporaryFolder(name)
        let url = folder.appendingPathComponent("package.\(options.format.fileExtension)")
        let summary = try await AccessPackageWriter(catalog: catalog, stores: stores).write(result: result, to: url, options: options)
        return (url, summary)
    }

    /// The folder a package extracts to with bsdtar (any format) or 7z (zips).
    static func extract(_ package: URL, with tool: String, passphrase: Passphrase? = nil) throws -> URL {
        let folder = package.deletingLastPathComponent().appendingPathComponent("extracted-\(tool)-\(UUID().uuidString.prefix(6))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let arguments: [String]
        switch tool {
        case "7z": arguments = ["7z", "x", "-y", "-p\(passphrase?.value ?? "")", "-o\(folder.path)", package.path]
        default: arguments = ["bsdtar", "-x", "-f", package.path, "-C", folder.path] + (passphrase.map { ["--passphrase", $0.value] } ?? [])
        }
        let output = try ExternalTool.run(arguments)
        try #require(output.status == 0, "\(tool) failed: \(output.stderr.prefix(400))")
        return folder
    }

    /// Every regular file below `folder`, relative, sorted.
    static func files(below folder: URL) -> [String] {
        let base = folder.resolvingSymlinksInPath().path
        let enumerator = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.isRegularFileKey])
        var paths: [String] = []
        while let url = enumerator?.nextObject() as? URL {
            guard (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true else { continue }
            paths.append(String(url.resolvingSymlinksInPath().path.dropFirst(base.count + 1)))
        }
        return paths.sorted()
    }

    static func sha256(_ url: URL) throws -> String {
        SHA256.hash(data: try Data(contentsOf: url)).map { String(format: "%02x", $0) }.joined()
    }

    static func manifest(in folder: URL) throws -> PackageManifest {
        try JSONDecoder().decode(PackageManifest.self, from: Data(contentsOf: folder.appendingPathComponent("manifest.json")))
    }

    /// The manifest's records as the example's ground truth names them.
    static func items(_ manifest: PackageManifest) -> Set<ExpectedItem> {
        Set(manifest.records.map { record in
            ExpectedItem(collection: record.collection, key: record.key.values.map(\.description).joined(separator: ","))
        })
    }

    /// Checks an extracted package against the example's stores: every file byte for byte, every
    /// JSON and CSV row against its database row, and exactly the subject's records and files.
    /// `renamed` maps the generator's file names ("recordings/calls/…") to names a test gave them.
    func compareWithStores(_ folder: URL, person: Person, sourceLabel: Comment, renamed: [String: String] = [:]) throws {
        let expected = dataSet.expectation(for: person)
        let expectedFiles = Set(expected.files.map { renamed[$0] ?? $0 })
        let manifest = try Self.manifest(in: folder)
        #expect(Self.items(manifest) == expected.records, sourceLabel)
        let extracted = Self.files(below: folder)
        let packagedFiles = Set(extracted.filter { $0.hasPrefix("files/") }.map { String($0.dropFirst("files/".count)) })
        #expect(packagedFiles == expectedFiles, sourceLabel)
        for file in expectedFiles {
            let inPackage = folder.appendingPathComponent("files/" + file)
            let inStore = dataSet.recordingsURL.appendingPathComponent(String(file.dropFirst("recordings/".count)))
            #expect(try Data(contentsOf: inPackage) == Data(contentsOf: inStore), "\(file) byte for byte, \(sourceLabel)")
        }
        #expect(Set(extracted) == Set(manifest.files.map(\.path) + ["manifest.json"]), sourceLabel)
        for file in manifest.files {
            #expect(try Self.sha256(folder.appendingPathComponent(file.path)) == file.sha256, "\(file.path), \(sourceLabel)")
        }
        let queue = try DatabaseQueue(path: dataSet.databaseURL.path)
        for collection in catalog.collections where manifest.collections.contains(where: { $0.collection == collection.name }) {
            let json = try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("data/\(collection.name).json")))
            let rows = try #require(json as? [[String: Any]])
            let csv = try CSVTestParser.parse(String(contentsOf: folder.appendingPathComponent("data/\(collection.name).csv"), encoding: .utf8))
            #expect(csv.count == rows.count + 1, "CSV has a header and one line per record: \(collection.name)")
            for (index, row) in rows.enumerated() {
                if let table = collection.table {
                    let stored = try queue.read { db in
                        try Row.fetchOne(db, sql: "SELECT * FROM \(table) WHERE id = ?", arguments: [row["id"] as? Int])
                    }
                    let databaseRow = try #require(stored, "\(collection.name) row \(row["id"] ?? "?") exists in the store")
                    for column in databaseRow.columnNames {
                        #expect(Self.text(row[column]) == Self.text(databaseRow[column] as DatabaseValue),
                                "\(collection.name).\(column), \(sourceLabel)")
                    }
                }
                let header = csv[0]
                for (position, column) in header.enumerated() {
                    let jsonText = Self.text(row[column])
                    #expect(csv[index + 1][position] == (jsonText == "NULL" ? "" : jsonText), "CSV \(collection.name).\(column)")
                }
            }
        }
    }

    static func text(_ json: Any?) -> String {
        switch json {
        case nil, is NSNull: return "NULL"
        case let string as String: return string
        case let number as NSNumber: return number.stringValue
        default: return "\(json!)"
        }
    }

    static func text(_ value: DatabaseValue) -> String {
        switch value.storage {
        case .null: return "NULL"
        case .int64(let int): return String(int)
        case .double(let double): return NSNumber(value: double).stringValue
        case .string(let string): return string
        case .blob(let data): return data.base64EncodedString()
        }
    }
}

/// Runs a program that is not ours (bsdtar, 7z, chromium) with a UTF-8 locale.
enum ExternalTool {
    struct Output {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    static func run(_ arguments: [String], in directory: URL? = nil) throws -> Output {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        process.environment = ProcessInfo.processInfo.environment.merging(["LC_ALL": "C.UTF-8"]) { _, new in new }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Output(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                      stderr: String(decoding: stderr, as: UTF8.self))
    }
}

/// A strict RFC 4180 reader, for checking what we write.
enum CSVTestParser {
    struct Malformed: Error {}

    static func parse(_ text: String) throws -> [[String]] {
        var rows: [[String]] = [], row: [String] = [], field = ""
        var scalars = Array(text.unicodeScalars)[...]
        var quoted = false, fieldStarted = false
        while let c = scalars.popFirst() {
            if quoted {
                if c == "\"" {
                    if scalars.first == "\"" { scalars.removeFirst(); field.unicodeScalars.append("\"") } else { quoted = false }
                } else { field.unicodeScalars.append(c) }
                continue
            }
            switch c {
            case "\"":
                guard field.isEmpty, !fieldStarted else { throw Malformed() }
                quoted = true; fieldStarted = true
            case ",":
                row.append(field); field = ""; fieldStarted = false
            case "\r":
                guard scalars.popFirst() == "\n" else { throw Malformed() }
                row.append(field); rows.append(row); row = []; field = ""; fieldStarted = false
            case "\n":
                throw Malformed() // lines end with CRLF
            default:
                field.unicodeScalars.append(c); fieldStarted = true
            }
        }
        guard !quoted, field.isEmpty, row.isEmpty else { throw Malformed() }
        return rows
    }
}
