import Foundation

extension Ledger {
    /// Opens the ledger of `catalog` as ``init(url:)`` does, holding an exclusive lock on
    /// `ledger.open.lock` beside it meanwhile: processes starting together on a new ledger
    /// would otherwise race to create its tables, and all but one fail.
    /// A catalog whose ledger is a PostgreSQL database is refused (a SQLite file of its own
    /// would split requests from the erasures): open that one with `PostgresLedger`
    /// (DSARKitPostgres), which keeps requests too.
    public static func opening(for catalog: Catalog) throws -> Ledger {
        if catalog.hasPostgresLedger {
            throw DSARError(.unsupported, "this catalog's ledger is a PostgreSQL database; open it with PostgresLedger (DSARKitPostgres), " +
                            "which keeps requests too. Nothing was written")
        }
        return try opening(url: defaultURL(for: catalog))
    }

    public static func opening(url: URL) throws -> Ledger {
        let folder = url.deletingLastPathComponent()
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let path = folder.appendingPathComponent("ledger.open.lock").path
        let descriptor = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw DSARError(.ledgerFailure, "the ledger's opening lock cannot be created", location: path) }
        defer { close(descriptor) }
        while flock(descriptor, LOCK_EX) != 0 {
            guard errno == EINTR else { throw DSARError(.ledgerFailure, "the ledger's opening lock cannot be taken", location: path) }
        }
        return try Ledger(url: url)
    }
}
