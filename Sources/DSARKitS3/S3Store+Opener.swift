import AsyncHTTPClient
import DSARKit
import Foundation
import Logging

extension S3Store {
    /// Opens `type: s3` stores from the catalog (see ``S3StoreConfiguration``), with the
    /// credentials from the process environment.
    public static let opener: StoreOpener = { declaration, _, logger in
        try S3Store(declaration: declaration, environment: ProcessInfo.processInfo.environment, logger: logger)
    }

    /// Opens a store from its catalog declaration, reading the credentials from `environment`.
    public convenience init(declaration: StoreDeclaration, environment: [String: String],
                            http: HTTPClient? = nil, logger: Logger) throws {
        self.init(name: declaration.name, configuration: try S3StoreConfiguration(declaration: declaration, environment: environment),
                  http: http, logger: logger)
    }
}
