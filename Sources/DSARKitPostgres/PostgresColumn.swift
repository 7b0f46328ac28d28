import DSARKit

/// A column of a PostgreSQL table: how its values are read, and how a value is bound to be
/// compared with it.
///
/// Values are read as ``Value``s: `smallint`/`integer`/`bigint` as integers, `real`/`double
/// precision` as reals, `bytea` as bytes, `boolean` as the text `true`/`false`, `date`/`time`/
/// `timestamp`/`timestamptz` as ISO-8601 text (the server's JSON form, whatever its `DateStyle`),
/// `numeric` as exact decimal text without trailing zeros, everything else (`uuid`, `text`,
/// `varchar`, `citext`, enums, `jsonb`, …) as the server's text. Each text reads back as the
/// same text, so a key read from a row finds that row again.
///
/// Values are bound as text and cast by the server to the column's own type
/// (`"col" = ANY($1::uuid[])`), so the comparison is the type's own and its indexes are used.
struct PostgresColumn: Sendable, Hashable {
    enum Kind: Sendable, Hashable { case integer, real, boolean, bytes, temporal, numeric, text }

    let name: String
    /// The column's type as SQL accepts it in a cast, qualified and without its modifier (a
    /// domain's base type): `pg_catalog.uuid`, `pg_catalog.timestamptz`, `pg_catalog.bpchar`,
    /// `"my schema".mood`.
    let type: String
    /// `pg_type.typname` of that type: `int4`, `timestamptz`, `varchar`, `mood`.
    let typeName: String
    /// `pg_type.typcategory`: `A` for arrays, `G` geometric, `E` enums, …
    let category: String

    init(name: String, type: String, typeName: String = "", category: String = "") {
        self.name = name
        self.type = type
        self.typeName = typeName.isEmpty ? type : typeName
        self.category = category
    }

    var kind: Kind {
        switch typeName {
        case "int2", "int4", "int8", "smallint", "integer", "bigint": .integer
        case "float4", "float8", "real", "double precision": .real
        case "numeric": .numeric
        case "bool", "boolean": .boolean
        case "bytea": .bytes
        case "date", "time", "timetz", "timestamp", "timestamptz": .temporal
        default: .text
        }
    }

    /// What the values are, for writing them in JSON with their type: `json`/`jsonb` (a domain
    /// over them too) as JSON, `boolean` as `true`/`false`, integers, floats and `numeric` as
    /// numbers, the rest as text.
    var valueKind: ColumnValueKind {
        if category == "A" { return .text }
        switch kind {
        case .integer, .real, .numeric: return .number
        case .boolean: return .boolean
        case .bytes, .temporal: return .text
        case .text: return typeName == "json" || typeName == "jsonb" ? .json : .text
        }
    }

    /// Whether values are compared in the column's own type; otherwise (`json`, arrays,
    /// geometric types: no usable equality) as the text the column reads as.
    var comparesInOwnType: Bool {
        !(typeName == "json" || typeName == "xml" || category == "A" || category == "G")
    }

    var quoted: String { Self.quote(name) }

    /// `$n::type[]`: a bound text array cast to an array of the column's type.
    func arrayCast(_ placeholder: String) -> String { "\(placeholder)::\(type)[]" }

    /// `$n::type`: a bound text cast to the column's type.
    func cast(_ placeholder: String) -> String { "\(placeholder)::\(type)" }

    /// The select-list expression that makes the value decodable as ``kind``.
    var selectExpression: String {
        switch kind {
        case .integer: "\(quoted)::int8"
        case .real: "\(quoted)::float8"
        case .boolean, .bytes: quoted
        case .temporal: "to_json(\(quoted)) #>> '{}'"
        case .numeric: "trim_scale(\(quoted))::text"
        case .text: "\(quoted)::text"
        }
    }

    static func quote(_ identifier: String) -> String {
        "\"" + identifier.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
