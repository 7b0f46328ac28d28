import ArgumentParser
import DSARKit
import DSARKitPostgres
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
            abstract: "Draft a catalog from live SQLite and PostgreSQL databases and folders of files.",
            discussion: """
            Reads every table's columns, primary key and declared foreign keys, samples each column's values \
            (counted, never printed or kept) to find emails and phone numbers, guesses undeclared references \
            (customer_id → customers.id when the sampled values match, in the same store or another one), drafts \
            folders' files whose names hold phone numbers, email addresses or a table's keys, or that have a sidecar \
            naming their caller, as pattern collections, and writes a catalog with the evidence \
            in comments and the Art. 15 texts as TODO: `dsar check` fails until they are written.
            """
        )

        @Option(name: .long, help: ArgumentHelp("A store to read, as NAME=PATH of a SQLite file or of a folder of files, or NAME=postgres://user@host:5432/db (repeat for several).",
                                                valueName: "name=path"))
        var store: [String] = []

        @Option(name: .long, help: ArgumentHelp("For PostgreSQL stores: the environment variable holding the password.", valueName: "NAME"))
        var passwordEnv: String?

        @Option(name: .long, help: "For PostgreSQL stores: the schema to read.")
        var schema: String = "public"

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
            var folders: [(store: CatalogDraft.Store, folder: FolderStore)] = []
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
