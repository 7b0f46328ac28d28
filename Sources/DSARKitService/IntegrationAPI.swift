import DSARKit
import Foundation

/// What ``DSARService`` needs to serve the OpenDSR API and the IVR hook next to the console: the
/// service file's API tables (tokens, OpenDSR ids, IVR calls), the integration tokens, the
/// processor key that signs responses and callbacks, and how the API presents itself.
///
/// ```swift
/// // The tokens `dsar serve tokens add` writes, and the processor key beside the service file.
/// let api = try IntegrationAPI.beside(serviceDatabase: URL(fileURLWithPath: ".dsar/dsar-service.sqlite"),
///                                     publicURL: "https://dsar.example.com")
/// ```
public struct IntegrationAPI: Sendable {
    public var database: APIDatabase
    public var tokens: any IntegrationTokens
    public var key: ProcessorKey
    public var openDSR: OpenDSRConfiguration
    /// How often status changes made outside the API (an officer verifying, a run) are looked for,
    /// to tell controllers through their status callbacks.
    public var callbackInterval: Duration
    /// The waits before each new attempt of a status callback that failed.
    public var callbackRetryDelays: [Duration]

    public init(database: APIDatabase, tokens: (any IntegrationTokens)? = nil, key: ProcessorKey, openDSR: OpenDSRConfiguration,
                callbackInterval: Duration = .seconds(30),
                callbackRetryDelays: [Duration] = [.seconds(5), .seconds(30), .seconds(120), .seconds(600)]) {
        self.database = database
        self.tokens = tokens ?? SQLiteIntegrationTokens(database: database)
        self.key = key
        self.openDSR = openDSR
        self.callbackInterval = callbackInterval
        self.callbackRetryDelays = callbackRetryDelays
    }

    /// The API over the service file at `serviceDatabase` (created owner-only if missing; the
    /// file `dsar serve tokens` writes its tokens to) and the processor key and certificate
    /// beside it (`processor.key.pem`, `processor.cert.pem`), made owner-only (0600) on first use.
    public static func beside(serviceDatabase: URL, publicURL: String) throws -> IntegrationAPI {
        let folder = serviceDatabase.deletingLastPathComponent()
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let database = try APIDatabase(path: serviceDatabase.path)
        let openDSR = OpenDSRConfiguration(publicURL: publicURL)
        let key = try ProcessorKey.loadOrCreate(keyPath: folder.appendingPathComponent("processor.key.pem").path,
                                                certificatePath: folder.appendingPathComponent("processor.cert.pem").path,
                                                domain: openDSR.processorDomain)
        return IntegrationAPI(database: database, key: key, openDSR: openDSR)
    }
}
