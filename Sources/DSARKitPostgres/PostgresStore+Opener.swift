import DSARKit
import Foundation
import Logging
import PostgresNIO

extension PostgresStore {
    /// Opens `type: postgres` stores from the catalog:
    /// `{ type: postgres, url: "postgres://user@host:5432/db", passwordEnv: NAME, schema: public, tls: disable|require,
    /// maxConnections: 8, connectTimeout: 10 }` (seconds).
    public static let opener: StoreOpener = { declaration, _, logger in
        try PostgresStore(declaration: declaration, environment: ProcessInfo.processInfo.environment, logger: logger)
    }

    /// Opens a store from its catalog declaration, reading the password from `environment`.
    public convenience init(declaration: StoreDeclaration, environment: [String: String], logger: Logger) throws {
        let place = "stores.\(declaration.name)"
        guard let text = declaration.settings["url"], let url = URLComponents(string: text),
              url.scheme == "postgres" || url.scheme == "postgresql", let host = url.host, !host.isEmpty,
              let user = url.user, !user.isEmpty else {
            throw DSARError(.invalidCatalog, "store '\(declaration.name)' needs url: postgres://user@host:5432/database", location: place)
        }
        if url.password != nil {
            throw DSARError(.invalidCatalog, "store '\(declaration.name)' has a password in its url; put it in an environment variable and name it with passwordEnv",
                            location: place)
        }
        var password: String?
        if let variable = declaration.settings["passwordEnv"] {
            guard let value = environment[variable] else {
                throw DSARError(.storeUnavailable, "the environment variable \(variable) named by passwordEnv of store '\(declaration.name)' is not set",
                                location: place)
            }
            password = value
        }
        let database = url.path.hasPrefix("/") ? String(url.path.dropFirst()) : url.path
        let tls: PostgresClient.Configuration.TLS = declaration.settings["tls"] == "require"
            ? .require(.makeClientConfiguration()) : .disable
        var configuration = PostgresClient.Configuration(host: host, port: url.port ?? 5432, username: user, password: password,
                                                         database: database.isEmpty ? nil : database, tls: tls)
        configuration.options.maximumConnections = Int(declaration.settings["maxConnections"] ?? "") ?? 8
        configuration.options.connectTimeout = .seconds(Int(declaration.settings["connectTimeout"] ?? "") ?? 10)
        self.init(name: declaration.name, configuration: configuration, schema: declaration.settings["schema"] ?? "public", logger: logger)
    }
}
