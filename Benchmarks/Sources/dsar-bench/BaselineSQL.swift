import ArgumentParser
import DSARKit
import Foundation

extension BenchCommand {
    /// The limit for discovery: the same lookups, hand-written as indexed SQL for the sqlite3
    /// shell — the customer by email, their consents, calls and recordings, and the calls and
    /// customers that carry their phone in any of its written forms.
    struct BaselineSQL: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "baseline-sql", abstract: "Print the hand-written SQL equivalent of discovering each subject.")

        @Option(help: "One subject per line (email:…).") var subjects: String

        func run() throws {
            let phone = IdentifierType(name: "phone", kind: .phone, region: "FR", shared: true)
            print(".output /dev/null")
            for line in try String(contentsOfFile: subjects, encoding: .utf8).split(separator: "\n") {
                let email = String(line.dropFirst("email:".count))
                guard let number = Int(email.dropFirst("client".count).prefix { $0.isNumber }) else { continue }
                let spellings = phone.spellings(of: ScaleDataSet.mobile(of: number)).map { "'\($0)'" }.joined(separator: ",")
                let customer = "SELECT id FROM customers WHERE \(EmailFolding.sqliteExpression("email")) = '\(email)'"
                print("""
                    SELECT * FROM customers WHERE \(EmailFolding.sqliteExpression("email")) = '\(email)';
                    SELECT * FROM recording_consents WHERE customer_id IN (\(customer));
                    SELECT * FROM calls WHERE customer_id IN (\(customer));
                    SELECT * FROM recordings WHERE call_id IN (SELECT id FROM calls WHERE customer_id IN (\(customer)));
                    SELECT * FROM calls WHERE caller_number IN (\(spellings));
                    SELECT * FROM customers WHERE mobile IN (\(spellings));
                    """)
            }
        }
    }
}
