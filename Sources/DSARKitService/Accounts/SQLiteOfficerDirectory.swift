import DSARKit
import Foundation
import GRDB

/// Officers and sessions in the service's own SQLite file (`dsar-service.sqlite` beside the
/// ledger by default), tables `officers` and `sessions`.
public struct SQLiteOfficerDirectory: OfficerDirectory {
    let database: DatabaseQueue

    /// Opens (and creates, owner-only) the file at `url`.
    public init(url: URL) throws {
        do {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
            // The API's tables share the file through their own connection.
            var configuration = Configuration()
            configuration.busyMode = .timeout(10)
            database = try DatabaseQueue(path: url.path, configuration: configuration)
            try? FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: url.path)
            try Self.migrator.migrate(database)
        } catch {
            throw DSARError(.ledgerFailure, "the service database cannot be opened", location: url.path, cause: error)
        }
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("officers-v1") { db in
            try db.execute(sql: """
                CREATE TABLE officers (name TEXT PRIMARY KEY NOT NULL, password_hash TEXT NOT NULL, created_at REAL NOT NULL);
                CREATE TABLE sessions (id_hash TEXT PRIMARY KEY NOT NULL, officer TEXT NOT NULL REFERENCES officers(name),
                                       csrf_token TEXT NOT NULL, expires_at REAL NOT NULL);
                """)
        }
        return migrator
    }

    public func add(_ officer: Officer) async throws {
        try await database.write { db in
            if try Int.fetchOne(db, sql: "SELECT 1 FROM officers WHERE name = ?", arguments: [officer.name]) != nil {
                throw DSARError(.invalidRequest, "an officer named \(officer.name) already exists; nothing was changed")
            }
            try db.execute(sql: "INSERT INTO officers (name, password_hash, created_at) VALUES (?, ?, ?)",
                           arguments: [officer.name, officer.passwordHash, officer.createdAt.timeIntervalSince1970])
        }
    }

    public func officer(named name: String) async throws -> Officer? {
        try await database.read { db in
            try Row.fetchOne(db, sql: "SELECT name, password_hash, created_at FROM officers WHERE name = ?", arguments: [name]).map {
                Officer(name: $0["name"], passwordHash: $0["password_hash"],
                        createdAt: Date(timeIntervalSince1970: $0["created_at"]))
            }
        }
    }

    public func save(_ session: OfficerSession) async throws {
        try await database.write { db in
            try db.execute(sql: "DELETE FROM sessions WHERE expires_at < ?", arguments: [Date().timeIntervalSince1970])
            try db.execute(sql: "INSERT OR REPLACE INTO sessions (id_hash, officer, csrf_token, expires_at) VALUES (?, ?, ?, ?)",
                           arguments: [session.idHash, session.officer, session.csrfToken, session.expiresAt.timeIntervalSince1970])
        }
    }

    public func session(idHash: String) async throws -> OfficerSession? {
        try await database.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM sessions WHERE id_hash = ?", arguments: [idHash]).map {
                OfficerSession(idHash: $0["id_hash"], officer: $0["officer"], csrfToken: $0["csrf_token"],
                               expiresAt: Date(timeIntervalSince1970: $0["expires_at"]))
            }
        }
    }

    public func deleteSession(idHash: String) async throws {
        try await database.write { db in
            try db.execute(sql: "DELETE FROM sessions WHERE id_hash = ?", arguments: [idHash])
        }
    }
}
