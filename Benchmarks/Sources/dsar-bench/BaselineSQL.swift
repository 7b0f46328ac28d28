import ArgumentParser
import DSARKit
import Foundation

extension BenchCommand {
    /// The limit for discovery: the same lookups, hand-written as indexed SQL for the sqlite3
    /// shell — the customer by email, their consents, calls and recordings, and the calls and
    /// customers that carry their phone in any of its written forms. With `--postgres-schema`,
    /// the same statements for `psql` against that schema.
    struct BaselineSQL: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "baseline-sql", abstract: "Print the hand-written SQL equivalent of discovering each subject.")

        @Option(help: "One subject per line (email:…).") var subjects: String
        @Option(help: "Write the statements for psql against this PostgreSQL schema instead of the sqlite3 shell.")
        var postgresSchema: String?

        func run() throws {
            let phone = IdentifierType(name: "phone", kind: .phone, region: "FR", shared: true)
            let prefix = postgresSchema.map { "\($0)." } ?? ""
            let folded = postgresSchema == nil ? EmailFolding.sqliteExpression("email") : EmailFolding.postgresExpression("email")
            if postgresSchema == nil { print(".output /dev/null") }
            for line in try String(contentsOfFile: subjects, encoding: .utf8).split(separator: "\n") {
                let email = String(line.dropFirst("email:".count))
                guard let number = Int(email.dropFirst("client".count).prefix { $0.isNumber }) else { continue }
                let spellings = phone.spellings(of: ScaleDataSet.mobile(of: number)).map { "'\($0)'" }.joined(separator: ",")
                let customer = "SELECT id FROM \(prefix)customers WHERE \(folded) = '\(email)'"
                print("""
                    SELECT * FROM \(prefix)customers WHERE \(folded) = '\(email)';
                    SELECT * FROM \(prefix)recording_consents WHERE customer_id IN (\(customer));
                    SELECT * FROM \(prefix)calls WHERE customer_id IN (\(customer));
                    SELECT * FROM \(prefix)recordings WHERE call_id IN (SELECT id FROM \(prefix)calls WHERE customer_id IN (\(customer)));
                    SELECT * FROM \(prefix)calls WHERE caller_number IN (\(spellings));
                    SELECT * FROM \(prefix)customers WHERE mobile IN (\(spellings));
                    """)
            }
        }
    }
}
