import Foundation
import GRDB

/// The API's tables in the service's small SQLite file (`dsar-service.sqlite` beside the ledger,
/// shared with the console's `officers` and `sessions`): integration tokens, the OpenDSR
/// requests received, the IVR calls answered, and the console's runs (``RunQueue``). Its own GRDB migrator (migrations named
/// `api.*`), so the console's migrations and ours live side by side.
///
/// It holds no personal data: token digests, request ids, OpenDSR ids, callback URLs, call ids,
/// run states and officers' account names.
/// The file is created owner-only (0600) all the same.
public final class APIDatabase: Sendable {
    let queue: DatabaseQueue

    /// Opens (creating it owner-only if missing) the service file at `path`.
    public init(path: String) throws {
        let descriptor = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw DSARServiceError(.storeFailure, "the service database cannot be created", location: path)
        }
        close(descriptor)
        do {
            // The console's officers and sessions share the file through their own connection.
            var configuration = Configuration()
            configuration.busyMode = .timeout(10)
            queue = try DatabaseQueue(path: path, configuration: configuration)
            try Self.migrator.migrate(queue)
        } catch let error as DSARServiceError {
            throw error
        } catch {
            throw DSARServiceError(.storeFailure, "the service database cannot be opened", location: path, cause: error)
        }
    }

    /// An in-memory database, for tests and throw-away servers.
    public init() throws {
        queue = try DatabaseQueue()
        try Self.migrator.migrate(queue)
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("api.1.integration-tokens") { db in
            try db.execute(sql: """
                CREATE TABLE integration_tokens (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    name TEXT NOT NULL,
                    scope TEXT NOT NULL,
                    digest TEXT NOT NULL UNIQUE,
                    created_at TEXT NOT NULL,
                    revoked_at TEXT
                );
                CREATE UNIQUE INDEX integration_tokens_active_name ON integration_tokens(name) WHERE revoked_at IS NULL;
                """)
        }
        migrator.registerMigration("api.1.opendsr-requests") { db in
            try db.execute(sql: """
                CREATE TABLE opendsr_requests (
                    subject_request_id TEXT PRIMARY KEY,
                    request_id TEXT,
                    controller_id TEXT NOT NULL,
                    callback_urls TEXT NOT NULL,
                    received_time TEXT NOT NULL,
                    notified_status TEXT
                );
                CREATE TABLE ivr_calls (
                    call_id TEXT PRIMARY KEY,
                    request_id TEXT,
                    received_time TEXT NOT NULL
                );
                """)
        }
        migrator.registerMigration("api.2.console-runs") { db in
            try db.execute(sql: """
                CREATE TABLE console_runs (
                    request_id TEXT PRIMARY KEY,
                    kind TEXT NOT NULL,
                    officer TEXT NOT NULL,
                    state TEXT NOT NULL,
                    started_at REAL NOT NULL,
                    failure TEXT
                );
                """)
        }
        return migrator
    }
}
