import _CryptoExtras
import DSARKit
import DSARKitService
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Synchronization
import X509

/// A SQLite ledger in a fresh folder, a request book on a clock the test sets, the service file
/// in memory, a processor key, and the API's routes in a tiny Hummingbird application.
final class APIFixture: Sendable {
    let folder: URL
    let ledger: Ledger
    let book: RequestBook
    let clock: TestClock
    let database: APIDatabase
    let tokens: SQLiteIntegrationTokens
    let key: ProcessorKey
    let callbacks: StatusCallbacks
    let logs = LogLines()
    let configuration = OpenDSRConfiguration(publicURL: "https://dsar.example.test/")

    static let catalog = Catalog(
        controller: Controller(name: "Atlas Contact SARL", contact: "dpo@example.com"),
        identifiers: [
            IdentifierType(name: "customer_id", kind: .opaque),
            IdentifierType(name: "email", kind: .email),
            IdentifierType(name: "phone", kind: .phone, region: "TN"),
        ],
        stores: [], collections: [])

    init(now: String = "2026-03-15T09:00:00Z", ledger: (any RequestLedger)? = nil) async throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("dsar-api-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let sqlite = try Ledger(url: folder.appendingPathComponent(".dsar/ledger.sqlite"))
        self.ledger = sqlite
        let clock = TestClock(try Date(now, strategy: .iso8601))
        self.clock = clock
        book = try await RequestBook(ledger: ledger ?? sqlite, now: { clock.now })
        database = try APIDatabase(path: folder.appendingPathComponent("dsar-service.sqlite").path)
        tokens = SQLiteIntegrationTokens(database: database, now: { clock.now })
        key = try ProcessorKey.generate(domain: "dsar.example.test")
        callbacks = StatusCallbacks(database: database, book: book, key: key, configuration: configuration,
                                    retryDelays: [.zero, .zero], logger: logs.logger)
    }

    deinit { try? FileManager.default.removeItem(at: folder) }

    var routes: OpenDSRRoutes {
        OpenDSRRoutes(book: book, catalog: Self.catalog, database: database, tokens: tokens, key: key,
                      callbacks: callbacks, configuration: configuration, logger: logs.logger)
    }

    /// The test server: the OpenDSR routes and the IVR hook, as any application would mount them.
    func application() -> some ApplicationProtocol {
        let router = Router()
        routes.addRoutes(to: router.group())
        ConsentWithdrawalRoutes(book: book, catalog: Self.catalog, database: database, tokens: tokens, logger: logs.logger)
            .addRoutes(to: router.group())
        return Application(router: router, logger: logs.logger)
    }

    func issue(_ name: String, _ scope: TokenScope) async throws -> String {
        try await tokens.add(name: name, scope: scope).secret
    }
}

/// A clock a test moves by hand.
final class TestClock: Sendable {
    private let date: Mutex<Date>
    init(_ date: Date) { self.date = Mutex(date) }
    var now: Date { date.withLock { $0 } }
    func set(_ new: Date) { date.withLock { $0 = new } }
}

/// Every log line, with its metadata, to check no identifier reaches a log.
final class LogLines: Sendable {
    private let lines = Mutex<[String]>([])
    var all: [String] { lines.withLock { $0 } }
    func append(_ line: String) { lines.withLock { $0.append(line) } }

    var logger: Logger {
        var logger = Logger(label: "dsar-api-test") { _ in Handler(lines: self) }
        logger.logLevel = .trace
        return logger
    }

    struct Handler: LogHandler {
        let lines: LogLines
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(event: LogEvent) {
            let all = self.metadata.merging(event.metadata ?? [:]) { $1 }
            lines.append("\(event.level) \(event.message) \(all.map { "\($0.key)=\($0.value)" }.sorted().joined(separator: " "))")
        }
    }
}

extension HTTPFields {
    static func bearer(_ token: String) -> HTTPFields {
        var fields = HTTPFields()
        fields[.authorization] = "Bearer \(token)"
        fields[.contentType] = "application/json"
        return fields
    }
}

extension TestResponse {
    var json: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(buffer: body))) as? [String: Any] ?? [:]
    }
    /// The spec's error object's message.
    var errorMessage: String? { (json["error"] as? [String: Any])?["message"] as? String }
    var errorCode: Int? { (json["error"] as? [String: Any])?["code"] as? Int }
}

/// Checks `X-OpenGDPR-Signature` over `body` with the certificate's public key.
func signatureVerifies(_ signature: String?, body: Data, certificatePEM: String) throws -> Bool {
    guard let signature, let bytes = Data(base64Encoded: signature) else { return false }
    let certificate = try Certificate(pemEncoded: certificatePEM)
    guard let key = _RSA.Signing.PublicKey(certificate.publicKey) else { return false }
    return key.isValidSignature(_RSA.Signing.RSASignature(rawRepresentation: bytes), for: body, padding: .insecurePKCS1v1_5)
}

extension Data {
    init(buffer: ByteBuffer) { self.init(buffer.readableBytesView) }
}
