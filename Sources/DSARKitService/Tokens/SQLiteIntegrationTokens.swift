import Foundation
import GRDB

/// Integration tokens in the service file's `integration_tokens` table, stored as SHA-256.
public struct SQLiteIntegrationTokens: IntegrationTokens {
    let database: APIDatabase
    let now: @Sendable () -> Date

    public init(database: APIDatabase, now: @escaping @Sendable () -> Date = { Date() }) {
        self.database = database
        self.now = now
    }

    public func add(name: String, scope: TokenScope) async throws -> IssuedToken {
        let name = try Self.validName(name)
        let secret = Self.newSecret()
        let token = IntegrationToken(name: name, scope: scope, createdAt: Self.timestamp(now()))
        try await database.queue.write { db in
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM integration_tokens WHERE name = ? AND revoked_at IS NULL", arguments: [name]) == true {
                throw DSARServiceError(.invalidToken, "an active token named \(name) exists; revoke it first")
            }
            try db.execute(sql: "INSERT INTO integration_tokens (name, scope, digest, created_at) VALUES (?, ?, ?, ?)",
                           arguments: [name, scope.rawValue, Self.digest(of: secret), token.createdAt])
        }
        return IssuedToken(secret: secret, token: token)
    }

    public func token(presenting secret: String) async throws -> IntegrationToken? {
        let digest = Self.digest(of: secret)
        return try await database.queue.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM integration_tokens WHERE digest = ? AND revoked_at IS NULL",
                             arguments: [digest]).flatMap(Self.token)
        }
    }

    public func list() async throws -> [IntegrationToken] {
        try await database.queue.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM integration_tokens ORDER BY id").compactMap(Self.token)
        }
    }

    public func revoke(name: String) async throws -> Bool {
        let at = Self.timestamp(now())
        return try await database.queue.write { db in
            try db.execute(sql: "UPDATE integration_tokens SET revoked_at = ? WHERE name = ? AND revoked_at IS NULL",
                           arguments: [at, name])
            return db.changesCount > 0
        }
    }

    static func token(_ row: Row) -> IntegrationToken? {
        guard let scope = TokenScope(rawValue: row["scope"]) else { return nil }
        return IntegrationToken(name: row["name"], scope: scope, createdAt: row["created_at"], revokedAt: row["revoked_at"])
    }

    static func timestamp(_ date: Date) -> String {
        date.formatted(.iso8601)
    }
}
