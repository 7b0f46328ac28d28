import Foundation
import GRDB

/// The local record of erasures: the journal of every run (its plan and which steps are
/// done), the hash-chained ``AuditLog``, and beside the database the keys (`masking.key`
/// for `hash` masking, `signing.key` / `signing.pub` for certificates).
///
/// By default it lives in `.dsar/ledger.sqlite` beside the catalog; the catalog's
/// `ledger:` key moves it. The plan of a run is purged when the run completes: the ledger
/// then keeps the certificate and the audit entries, which hold no personal data.
public final class Ledger: Sendable {
    /// The database file.
    public let url: URL
    let database: DatabaseQueue

    /// Opens (creating if needed) the ledger at `url`.
    public init(url: URL) throws {
        self.url = url
        do {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
            try Self.prepareOwnerOnly(url)
            var configuration = Configuration()
            configuration.busyMode = .timeout(30)
            configuration.label = "dsar.ledger"
            database = try DatabaseQueue(path: url.path, configuration: configuration)
            try database.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA journal_mode = WAL")
                try db.execute(sql: "PRAGMA synchronous = NORMAL")
            }
            try Self.migrator.migrate(database)
        } catch {
            throw DSARError(.ledgerFailure, "the ledger cannot be opened", location: url.path, cause: error)
        }
    }

    /// Makes the database owner-only before SQLite opens it: a new one is created empty with
    /// mode 0600 (SQLite gives its `-wal` and `-shm` files the database's mode), an older one
    /// and its `-wal`/`-shm` are narrowed to 0600, and so is the default `.dsar` folder if it
    /// already existed wider. A folder named with `ledger:` keeps its own permissions.
    static func prepareOwnerOnly(_ url: URL) throws {
        do {
            try PrivateFile.create(Data(), at: url)
        } catch let error as POSIXError where error.code == .EEXIST {
            for path in [url.path, url.path + "-wal", url.path + "-shm"] {
                var status = stat()
                if stat(path, &status) == 0, status.st_mode & 0o077 != 0 { chmod(path, 0o600) }
            }
        }
        let folder = url.deletingLastPathComponent()
        if folder.lastPathComponent == ".dsar" { PrivateFile.restrictFolder(folder) }
    }

    /// The ledger of `catalog`: its `ledger:` path, else `.dsar/ledger.sqlite` beside it.
    public convenience init(for catalog: Catalog) throws {
        if catalog.hasPostgresLedger {
            throw DSARError(.ledgerFailure, "this catalog's ledger is a PostgreSQL database; open it with PostgresLedger (DSARKitPostgres)")
        }
        try self.init(url: Self.defaultURL(for: catalog))
    }

    public static func defaultURL(for catalog: Catalog) -> URL {
        StoreSet.resolve(catalog.ledgerPath ?? ".dsar/ledger.sqlite", against: catalog.baseDirectory)
    }

    /// The folder holding the database and the keys.
    public var folder: URL { url.deletingLastPathComponent() }

    private static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE runs (
                    id TEXT PRIMARY KEY,
                    created_at TEXT NOT NULL,
                    status TEXT NOT NULL,
                    plan TEXT,
                    certificate TEXT,
                    finished_at TEXT
                );
                CREATE TABLE steps (
                    run_id TEXT NOT NULL REFERENCES runs(id),
                    idx INTEGER NOT NULL,
                    status TEXT NOT NULL,
                    PRIMARY KEY (run_id, idx)
                );
                CREATE TABLE audit (
                    seq INTEGER PRIMARY KEY,
                    at TEXT NOT NULL,
                    run_id TEXT,
                    event TEXT NOT NULL,
                    detail TEXT NOT NULL,
                    previous_hash TEXT NOT NULL,
                    hash TEXT NOT NULL
                );
                """)
        }
        return migrator
    }

    func write<T: Sendable>(_ body: @Sendable (Database) throws -> T) throws -> T {
        do {
            let (result, head) = try database.write { db in
                (try body(db), try Row.fetchOne(db, sql: "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1"))
            }
            if let head, let key = try? keys.existingAuditKey() {
                AuditAnchor(folder: folder).advance(to: head["seq"], hash: head["hash"], key: key)
            }
            return result
        } catch let error as DSARError {
            throw error
        } catch {
            throw DSARError(.ledgerFailure, "the ledger could not be written", location: url.path, cause: error)
        }
    }

    func read<T: Sendable>(_ body: @Sendable (Database) throws -> T) throws -> T {
        do {
            return try database.read(body)
        } catch {
            throw DSARError(.ledgerFailure, "the ledger could not be read", location: url.path, cause: error)
        }
    }
}
