import Foundation
import GRDB

extension CallCenterDataSet {
    /// The telephony tables (`calls`, `recordings`) that the PostgreSQL variant keeps in PostgreSQL.
    public static let telephonyTables = ["calls", "recordings"]

    /// Turns the data set into the mixed-store variant: the CRM (customers, consents) stays in
    /// SQLite, the telephony tables move to PostgreSQL schema `schema`, recordings stay in the
    /// folder; references cross all three stores.
    ///
    /// Writes `dsar-postgres.yaml` (the catalog) and `telephony.sql` (one statement per line:
    /// load it with `psql -f telephony.sql` or statement by statement), and removes the
    /// telephony tables from the SQLite file. Returns the SQL statements.
    @discardableResult
    public func makePostgresVariant(url: String, passwordEnv: String, schema: String) throws -> [String] {
        let statements = try telephonyStatements(schema: schema)
        try (statements.joined(separator: "\n") + "\n").write(to: directory.appendingPathComponent("telephony.sql"),
                                                             atomically: true, encoding: .utf8)
        var catalog = try String(contentsOf: catalogURL, encoding: .utf8)
        catalog = catalog.replacingOccurrences(
            of: "  recordings: { type: files, root: data/recordings }\n",
            with: "  recordings: { type: files, root: data/recordings }\n"
                + "  telephony:  { type: postgres, url: \"\(url)\", passwordEnv: \(passwordEnv), schema: \(schema) }\n")
        for table in Self.telephonyTables {
            catalog = catalog.replacingOccurrences(of: "    store: crm\n    table: \(table)\n", with: "    store: telephony\n    table: \(table)\n")
        }
        try catalog.write(to: postgresCatalogURL, atomically: true, encoding: .utf8)
        let queue = try DatabaseQueue(path: databaseURL.path)
        try queue.write { db in
            try db.execute(sql: "PRAGMA foreign_keys = OFF")
            try db.execute(sql: "DROP TABLE recordings; DROP TABLE calls")
        }
        try queue.close()
        return statements
    }

    /// The CRM schema (tables, then indexes), for tools that build larger data sets of the same shape.
    public static var crmSchema: String { CRMDatabase.schema }

    /// The catalog of the example, as written in the package resources.
    public static func catalogText() throws -> String {
        guard let url = Bundle.module.url(forResource: "dsar", withExtension: "yaml") else { throw GenerationError.missingCatalogResource }
        return try String(contentsOf: url, encoding: .utf8)
    }

    /// The catalog of the PostgreSQL variant.
    public var postgresCatalogURL: URL { directory.appendingPathComponent("dsar-postgres.yaml") }

    /// CREATE TABLE, INSERT and CREATE INDEX statements for the telephony tables.
    func telephonyStatements(schema: String) throws -> [String] {
        let queue = try DatabaseQueue(path: databaseURL.path)
        defer { try? queue.close() }
        var statements = [
            "CREATE TABLE \(schema).calls (id bigint PRIMARY KEY, customer_id bigint, caller_number text, started_at text NOT NULL, "
                + "duration_s bigint NOT NULL, reason text, agent_notes text);",
            "CREATE TABLE \(schema).recordings (id bigint PRIMARY KEY, call_id bigint NOT NULL REFERENCES \(schema).calls(id), "
                + "path text NOT NULL, basis text NOT NULL, duration_s bigint NOT NULL, legal_hold_until text);",
        ]
        try queue.read { db in
            for table in Self.telephonyTables {
                for row in try Row.fetchAll(db, sql: "SELECT * FROM \(table) ORDER BY id") {
                    let values = row.databaseValues.map(Self.sqlLiteral).joined(separator: ", ")
                    statements.append("INSERT INTO \(schema).\(table) VALUES (\(values));")
                }
            }
        }
        statements += [
            "CREATE INDEX ON \(schema).calls (customer_id);",
            "CREATE INDEX ON \(schema).calls (caller_number);",
            "CREATE INDEX ON \(schema).recordings (call_id);",
            "CREATE INDEX ON \(schema).recordings (path);",
        ]
        return statements
    }

    static func sqlLiteral(_ value: DatabaseValue) -> String {
        switch value.storage {
        case .null: "NULL"
        case .int64(let int): String(int)
        case .double(let double): String(double)
        case .string(let text): "'" + text.replacingOccurrences(of: "'", with: "''") + "'"
        case .blob(let data): "'\\x" + data.map { String(format: "%02x", $0) }.joined() + "'::bytea"
        }
    }
}
