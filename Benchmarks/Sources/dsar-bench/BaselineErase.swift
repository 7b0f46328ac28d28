import ArgumentParser
import DSARKit
import Foundation

extension BenchCommand {
    /// The limit for batch erasure: what the catalog asks for, done set-based in one
    /// transaction — delete the recordings of the subjects' calls (unless held), mask the calls
    /// (caller number hashed, notes NULL), keep the consents, delete the customers.
    struct BaselineEraseSQL: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "baseline-erase-sql", abstract: "Print set-based SQL that erases every subject of the file at once.")

        @Option(help: "One subject per line (email:…).") var subjects: String

        func run() throws {
            let emails = try String(contentsOfFile: subjects, encoding: .utf8).split(separator: "\n")
                .map { "('" + $0.dropFirst("email:".count).replacingOccurrences(of: "'", with: "''") + "')" }
            print("""
                BEGIN;
                CREATE TEMP TABLE wanted(email TEXT PRIMARY KEY);
                INSERT INTO wanted VALUES \(emails.joined(separator: ","));
                CREATE TEMP TABLE subject AS SELECT id FROM customers WHERE \(EmailFolding.sqliteExpression("email")) IN (SELECT email FROM wanted);
                DELETE FROM recordings WHERE call_id IN (SELECT id FROM calls WHERE customer_id IN (SELECT id FROM subject))
                  AND (legal_hold_until IS NULL OR legal_hold_until < date('now'));
                UPDATE calls SET caller_number = hex(sha3(caller_number)), agent_notes = NULL
                  WHERE customer_id IN (SELECT id FROM subject);
                DELETE FROM customers WHERE id IN (SELECT id FROM subject);
                COMMIT;
                """)
        }
    }

    /// The files the set-based baseline removes: the subjects' voicemails (paths relative to the
    /// recordings root).
    struct BaselineEraseFiles: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "baseline-erase-files", abstract: "Print the voicemail files of the subjects, one per line.")

        @Option(help: "One subject per line (email:…).") var subjects: String
        @Option(help: "Customers in the data set.") var customers: Int

        func run() throws {
            for line in try String(contentsOfFile: subjects, encoding: .utf8).split(separator: "\n") {
                guard let number = Int(line.dropFirst("email:client".count).prefix { $0.isNumber }),
                      ScaleDataSet.hasVoicemail(number, customers: customers) else { continue }
                print(ScaleDataSet.voicemailPath(of: number))
            }
        }
    }
}
