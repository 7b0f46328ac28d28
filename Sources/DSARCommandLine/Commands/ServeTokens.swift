import ArgumentParser
import DSARKit
import DSARKitService
import Foundation

extension DSAR {
    /// `dsar serve tokens`: the integration tokens of the OpenDSR API and the IVR hook.
    struct ServeTokens: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "tokens",
            abstract: "Issue, list and revoke the API's integration tokens.",
            discussion: """
            A token is printed once, when issued, and stored as its SHA-256 only (32 random bytes \
            need no slow hash). An intake token opens requests (POST /opengdpr_requests, DELETE of its \
            own pending ones, POST /consent-withdrawals); a status token reads them (GET \
            /opengdpr_requests/{id}).
            """,
            subcommands: [Add.self, List.self, Revoke.self])
    }
}

/// Where the service file is: `--service-db`, else `dsar-service.sqlite` beside the ledger.
struct ServiceDatabaseOptions: ParsableArguments {
    @OptionGroup var options: CatalogOptions
    @Option(help: ArgumentHelp("The service's SQLite file.", discussion: "Default: dsar-service.sqlite beside the ledger.",
                               valueName: "path"))
    var serviceDb: String?

    func open() throws -> APIDatabase {
        let path: String
        if let serviceDb {
            path = serviceDb
        } else {
            let catalog = try options.loadCatalog()
            let folder = catalog.hasPostgresLedger
                ? catalog.baseDirectory.appendingPathComponent(".dsar")
                : Ledger.defaultURL(for: catalog).deletingLastPathComponent()
            try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            path = folder.appendingPathComponent("dsar-service.sqlite").path
        }
        return try APIDatabase(path: path)
    }
}

extension TokenScope: ExpressibleByArgument {}

extension DSAR.ServeTokens {
    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Issue a token; prints it once.")
        @OptionGroup var database: ServiceDatabaseOptions
        @Argument(help: "The integration's name (letters, digits, '-', '_', '.'), its controller_id in OpenDSR.") var name: String
        @Option(help: "intake or status.") var scope: TokenScope

        func run() async throws {
            let issued = try await SQLiteIntegrationTokens(database: try database.open()).add(name: name, scope: scope)
            print(issued.secret)
            FileHandle.standardError.write(Data(("Token \(issued.token.name) (\(scope.rawValue)) issued. It is shown once: " +
                                                  "store it in the integration's secrets now.\n").utf8))
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the tokens (names, scopes, dates; never the tokens).")
        @OptionGroup var database: ServiceDatabaseOptions

        func run() async throws {
            let tokens = try await SQLiteIntegrationTokens(database: try database.open()).list()
            if tokens.isEmpty { print("No token."); return }
            for token in tokens {
                print("\(token.name)\t\(token.scope.rawValue)\tissued \(token.createdAt)" +
                      (token.revokedAt.map { "\trevoked \($0)" } ?? ""))
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a token: it is refused (401) from now on.")
        @OptionGroup var database: ServiceDatabaseOptions
        @Argument(help: "The token's name.") var name: String

        func run() async throws {
            guard try await SQLiteIntegrationTokens(database: try database.open()).revoke(name: name) else {
                throw ValidationError("there is no active token named \(name)")
            }
            print("Token \(name) revoked.")
        }
    }
}
