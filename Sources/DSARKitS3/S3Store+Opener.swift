import AsyncHTTPClient
import DSARKit
import Foundation
import Logging

extension S3Store {
    /// Opens `type: s3` stores from the catalog (see ``S3StoreConfiguration``), with the
    /// credentials from the process environment.
    public static let opener: StoreOpener = opener(environment: nil)

    /// Opens `type: s3` stores with the credentials from `environment` (the process's when
    /// `nil`), sending every request through `http` when given: a client your service shares,
    /// with its own proxy, TLS or DNS settings.
    public static func opener(environment: [String: String]? = nil, http: HTTPClient? = nil) -> StoreOpener {
        { declaration, baseDirectory, logger in
            try S3Store(declaration: declaration, environment: environment ?? ProcessInfo.processInfo.environment,
                        baseDirectory: baseDirectory, http: http, logger: logger)
        }
    }

    /// Opens a store from its catalog declaration, reading the credentials from `environment`
    /// and a relative `caFile` from `baseDirectory` (the catalog's folder).
    public convenience init(declaration: StoreDeclaration, environment: [String: String], baseDirectory: URL? = nil,
                            http: HTTPClient? = nil, logger: Logger) throws {
        let configuration = try S3StoreConfiguration(declaration: declaration, environment: environment, baseDirectory: baseDirectory)
        self.init(name: declaration.name, configuration: configuration, http: http, logger: logger)
    }
}
