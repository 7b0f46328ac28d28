import DSARKit
import DSARKitPostgres
import Foundation
import Logging
import PostgresNIO
import Testing

/// The PostgreSQL server the integration tests use, from the environment `.ci/postgres.sh`
/// sets: `DSAR_TEST_POSTGRES_URL` (postgres://user@host:port/db) and `DSAR_TEST_POSTGRES_PASSWORD`.
enum PostgresTestServer {
    static let url = ProcessInfo.processInfo.environment["DSAR_TEST_POSTGRES_URL"]
    static let passwordVariable = "DSAR_TEST_POSTGRES_PASSWORD"

    /// Whether a server is configured. Without one, a test says so and returns; in CI
    /// (`CI=true`) a missing server is a failure, never a skip.
    static func available() -> Bool {
        if url != nil { return true }
        if ProcessInfo.processInfo.environment["CI"] == "true" {
            Issue.record("CI must provide PostgreSQL: DSAR_TEST_POSTGRES_URL is not set (source .ci/postgres.sh)")
        } else {
            print("PostgreSQL tests skipped: DSAR_TEST_POSTGRES_URL is not set (run `source .ci/postgres.sh` first)")
        }
        return false
    }

    /// A store declaration for `schema`, as a catalog would have it. The connect timeout is
    /// generous: on a loaded 2-core machine (the full suite, four worker processes) a debug
    /// build's SCRAM handshake alone can take seconds.
    static func declaration(name: String, schema: String) -> StoreDeclaration {
        StoreDeclaration(name: name, type: "postgres",
                         settings: ["url": url ?? "", "passwordEnv": passwordVariable, "schema": schema, "connectTimeout": "60"])
    }

    /// A fresh schema for one test, and an administrative client to fill it.
    static func withSchema<T>(_ body: (String, PostgresClient) async throws -> T) async throws -> T {
        let schema = "t_" + UUID().uuidString.prefix(12).lowercased().filter { $0.isLetter || $0.isNumber }
        let store = try PostgresStore(declaration: declaration(name: "admin", schema: schema),
                                      environment: ProcessInfo.processInfo.environment, logger: Logger(label: "test"))
        defer { store.close() }
        let client = store.adminClient
        try await client.query(PostgresQuery(unsafeSQL: "CREATE SCHEMA \(schema)"))
        do {
            let result = try await body(schema, client)
            try await client.query(PostgresQuery(unsafeSQL: "DROP SCHEMA \(schema) CASCADE"))
            return result
        } catch {
            _ = try? await client.query(PostgresQuery(unsafeSQL: "DROP SCHEMA \(schema) CASCADE"))
            throw error
        }
    }
}
