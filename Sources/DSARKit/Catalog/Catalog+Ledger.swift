import Foundation

extension Catalog {
    /// What is wrong with a `ledger:` value, or `nil`: it is a file path (the SQLite ledger),
    /// or `postgres://user@host[:port]/database` (or `postgresql://`) without a password.
    /// Anything else with a scheme would otherwise be taken for a relative path, and the
    /// ledger written into a folder named after it.
    static func ledgerProblem(_ value: String) -> String? {
        if value.hasPrefix("postgres://") || value.hasPrefix("postgresql://") {
            guard let url = URLComponents(string: value), let host = url.host, !host.isEmpty, let user = url.user, !user.isEmpty else {
                return "'ledger' is not a usable PostgreSQL URL: it needs a user and a host, like postgres://user@host:5432/database"
            }
            if url.password != nil {
                return "'ledger' holds a password; put it in an environment variable and name it with ledgerPasswordEnv"
            }
            return nil
        }
        if let colon = value.firstIndex(of: ":"),
           value[..<colon].range(of: "^[A-Za-z][A-Za-z0-9+.-]*$", options: .regularExpression) != nil {
            return "'ledger' is neither a file path nor a supported URL: a shared ledger is postgres://…, a local one the path of its SQLite file"
        }
        return nil
    }
}
