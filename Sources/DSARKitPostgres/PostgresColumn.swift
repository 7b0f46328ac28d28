/// A column of a PostgreSQL table and how its values are read.
struct PostgresColumn: Sendable, Hashable {
    enum Kind: Sendable, Hashable { case integer, real, boolean, bytes, text }

    let name: String
    /// `information_schema.columns.data_type`.
    let type: String

    var kind: Kind {
        switch type {
        case "smallint", "integer", "bigint": .integer
        case "real", "double precision", "numeric": .real
        case "boolean": .boolean
        case "bytea": .bytes
        default: .text
        }
    }

    var quoted: String { Self.quote(name) }

    /// The select-list expression that makes the value decodable as ``kind``.
    var selectExpression: String {
        switch kind {
        case .integer: "\(quoted)::int8"
        case .real: "\(quoted)::float8"
        case .boolean, .bytes: quoted
        case .text: "\(quoted)::text"
        }
    }

    static func quote(_ identifier: String) -> String {
        "\"" + identifier.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
