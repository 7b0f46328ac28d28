import ArgumentParser
import DSARKit
import DSARKitPostgres
import DSARKitS3
import Foundation
import Logging

extension DSAR {
    struct CatalogGroup: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "catalog",
            abstract: "Write a first catalog from your live databases.",
            subcommands: [Draft.self]
        )
    }
}

extension DSAR.CatalogGroup {
    struct Draft: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Draft a catalog from live SQLite and PostgreSQL databases, folders of files and S3 buckets.",
            discussion: """
            Reads every table's columns, primary key and declared foreign keys, samples each column's values \
            (counted, never printed or kept) to find emails and phone numbers, guesses undeclared references \
            (customer_id → customers.id when the sampled values match, in the same store or another one), drafts \
            folders' and buckets' files whose names hold phone numbers, email addresses or a table's keys, or that have a sidecar \
            naming their caller, as pattern collections, and writes a catalog with the evidence \
            in comments and the Art. 15 texts as TODO: `dsar check` fails until they are written. \
            A bucket is NAME=s3://BUCKET/PREFIX with --s3-endpoint and the names of the environment variables \
            holding its credentials (never the keys themselves), written into the drafted store as the catalog declares it.
            """
        )

        @Option(name: .long, help: ArgumentHelp("A store to read, as NAME=PATH of a SQLite file or of a folder of files, NAME=postgres://user@host:5432/db or NAME=s3://BUCKET/PREFIX (repeat for several).",
                                                valueName: "name=path"))
        var store: [String] = []

        @Option(name: .long, help: ArgumentHelp("For PostgreSQL stores: the environment variable holding the password.", valueName: "NAME"))
        var passwordEnv: String?

        @Option(name: .long, help: "For PostgreSQL stores: the schema to read.")
        var schema: String = "public"

        @Option(name: .long, help: ArgumentHelp("For S3 stores: the endpoint, without the bucket.", valueName: "https://host[:port]"))
        var s3Endpoint: String?

        @Option(name: .long, help: "For S3 stores: the region requests are signed for.")
        var s3Region: String = "us-east-1"

        @Option(name: .long, help: ArgumentHelp("For S3 stores: the environment variable holding the access key id.", valueName: "NAME"))
        var s3AccessKeyEnv: String?

        @Option(name: .long, help: ArgumentHelp("For S3 stores: the environment variable holding the secret access key.", valueName: "NAME"))
        var s3SecretKeyEnv: String?

        @Option(name: .long, help: ArgumentHelp("For S3 stores: true for https://host/bucket/key, false for https://bucket.host/key.",
                                                valueName: "true|false"))
        var s3PathStyle: Bool = true

        @Option(name: .long, help: ArgumentHelp("Regions national phone numbers are read in, in order.", valueName: "FR,TN"))
        var regions: String = ""

        @Option(name: .long, help: "How many non-NULL values of each column to sample.")
        var sample: Int = 1000

        @Option(name: .long, help: ArgumentHelp("Write the catalog here (never over an existing file) instead of standard output.", valueName: "path"))
        var out: String?

        @Flag(name: .long, help: "Print what was found as JSON (tables, identifier columns with their shares, references).")
        var json = false

        @Flag(name: .shortAndLong, help: "Log progress to stderr (never personal data).")
        var verbose = false

        func validate() throws {
            guard !store.isEmpty else { throw ValidationError("give at least one --store NAME=PATH") }
            guard sample > 0 else { throw ValidationError("--sample must be at least 1") }
            for entry in store {
                guard let equals = entry.firstIndex(of: "="), equals != entry.startIndex, entry.index(after: equals) != entry.endIndex else {
                    throw ValidationError("--store '\(entry)' must be NAME=PATH")
                }
                guard entry[entry.index(after: equals)...].hasPrefix("s3://") else { continue }
                guard Self.bucket(String(entry[entry.index(after: equals)...])) != nil else {
                    throw ValidationError("--store: an S3 store is NAME=s3://BUCKET/PREFIX, with a bucket name")
                }
                guard s3Endpoint != nil, s3AccessKeyEnv != nil, s3SecretKeyEnv != nil else {
                    throw ValidationError("--store NAME=s3://…: give --s3-endpoint, --s3-access-key-env and --s3-secret-key-env "
                                          + "(the names of the environment variables holding the keys)")
                }
            }
            for region in regionList where PhoneRegion(code: region) == nil {
                throw ValidationError("--regions: '\(region)' is not a region DSARKit reads phone numbers in")
            }
        }

        var regionList: [String] {
            regions.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).uppercased() }.filter { !$0.isEmpty }
        }

        func run() async throws {
            if let out, FileManager.default.fileExists(atPath: out) {
                throw DSARError(.outputExists, "the output file already exists; nothing was written", location: out)
            }
            let outFolder = URL(fileURLWithPath: out ?? ".").deletingLastPathComponent().standardizedFileURL.path
            var logger = Logger(label: "dsar") { StreamLogHandler.standardError(label: $0) }
            logger.logLevel = verbose ? .info : .warning
            var postgresStores: [PostgresStore] = []
            defer { postgresStores.forEach { $0.close() } }
            var sources: [(store: CatalogDraft.Store, source: any SchemaSource)] = []
            var folders: [(store: CatalogDraft.Store, folder: any ListableFileStore)] = []
            for entry in store {
                let equals = entry.firstIndex(of: "=")!
                let name = String(entry[..<equals])
                let path = String(entry[entry.index(after: equals)...])
                if path.hasPrefix("postgres://") || path.hasPrefix("postgresql://") {
                    var settings = ["url": path, "schema": schema, "connectTimeout": "60"]
                    if let passwordEnv { settings["passwordEnv"] = passwordEnv }
                    let opened = try PostgresStore(declaration: StoreDeclaration(name: name, type: "postgres", settings: settings),
                                                   environment: ProcessInfo.processInfo.environment, logger: logger)
                    settings["connectTimeout"] = nil
                    settings["url"] = nil
                    sources.append((CatalogDraft.Store(name: name, type: "postgres", location: path, settings: settings), opened))
                    postgresStores.append(opened)
                } else if let (bucket, prefix) = Self.bucket(path) {
                    let settings = ["endpoint": s3Endpoint ?? "", "bucket": bucket, "prefix": prefix, "region": s3Region,
                                    "accessKeyEnv": s3AccessKeyEnv ?? "", "secretKeyEnv": s3SecretKeyEnv ?? "", "pathStyle": "\(s3PathStyle)"]
                        .filter { !$0.value.isEmpty }
                    let opened = try S3Store(declaration: StoreDeclaration(name: name, type: "s3", settings: settings),
                                             environment: ProcessInfo.processInfo.environment, logger: logger)
                    folders.append((CatalogDraft.Store(name: name, type: "s3", location: path, settings: settings), opened))
                } else if Self.isFolder(path) {
                    let opened = try FolderStore(name: name, root: URL(fileURLWithPath: path), logger: logger)
                    folders.append((CatalogDraft.Store(name: name, type: "files", location: Self.relative(path, to: outFolder)), opened))
                } else {
                    let opened = try SQLiteStore(name: name, path: path, readOnly: true, logger: logger)
                    sources.append((CatalogDraft.Store(name: name, type: "sqlite", location: Self.relative(path, to: outFolder)), opened))
                }
            }
            let draft = try await CatalogDraft.read(sources, folders: folders, regions: regionList, sampleSize: sample)
            if let out {
                try Data(draft.yaml.utf8).write(to: URL(fileURLWithPath: out), options: .withoutOverwriting)
                FileHandle.printError("dsar: wrote \(out): \(draft.collections.count) collections; write every TODO, then run dsar check")
            }
            if json {
                print(try JSONOutput.text(draft))
            } else if out == nil {
                print(draft.yaml, terminator: "")
            }
        }

        /// The bucket and prefix of `s3://BUCKET/PREFIX`; the prefix ends with `/` unless empty
        /// (`s3://b/calls` reads the objects below `calls/`).
        static func bucket(_ location: String) -> (bucket: String, prefix: String)? {
            guard location.hasPrefix("s3://") else { return nil }
            let rest = location.dropFirst(5)
            let bucket = String(rest.prefix { $0 != "/" })
            guard !bucket.isEmpty else { return nil }
            let prefix = String(rest.dropFirst(bucket.count).drop { $0 == "/" })
            return (bucket, prefix.isEmpty || prefix.hasSuffix("/") ? prefix : prefix + "/")
        }

        static func isFolder(_ path: String) -> Bool {
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
        }

        /// The path as the catalog will hold it: relative to the catalog's folder when inside it.
        static func relative(_ path: String, to folder: String) -> String {
            let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
            let prefix = folder.hasSuffix("/") ? folder : folder + "/"
            return absolute.hasPrefix(prefix) ? String(absolute.dropFirst(prefix.count)) : absolute
        }
    }
}
