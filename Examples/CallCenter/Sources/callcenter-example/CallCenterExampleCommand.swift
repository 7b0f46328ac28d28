import ArgumentParser
import CallCenterExample
import Foundation

@main
struct CallCenterExampleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "callcenter-example",
        abstract: "Generate a deterministic French/Tunisian call-centre data set for DSARKit.",
        discussion: """
            Writes DIR/dsar.yaml (the catalog; CNIL as the authority), DIR/dsar.tn.yaml (its \
            Tunisian variant; INPDP as the authority), DIR/data/crm.sqlite (customers, consents, \
            calls, recordings) and DIR/data/recordings/ (call recordings and voicemails as \
            real WAV files). DIR/data is deleted and recreated. The same --customers and \
            --seed always produce the same data.
            """
    )

    @Option(name: .shortAndLong, help: "Directory to write the data set into.")
    var out: String

    @Option(help: "Total number of customers, including the two fixed Ben Ali household members.")
    var customers: Int = 60

    @Option(help: "Seed of the deterministic random generator.")
    var seed: UInt64 = 2026

    @Option(help: ArgumentHelp("Also print the expected DSAR result (ground truth) for this e-mail.", valueName: "email"))
    var expect: String?

    func validate() throws {
        guard customers >= 2 else { throw ValidationError("--customers must be at least 2.") }
    }

    func run() throws {
        let directory = URL(fileURLWithPath: out, isDirectory: true).standardizedFileURL
        let dataSet = try CallCenterDataSet.generate(into: directory, customers: customers, seed: seed)
        print("""
            Generated call-centre data set (seed \(seed)) in \(directory.path)
              customers:  \(dataSet.customerCount)
              consents:   \(dataSet.consentCount)
              calls:      \(dataSet.callCount) (\(dataSet.anonymousCallCount) anonymous)
              recordings: \(dataSet.recordingCount)
              voicemails: \(dataSet.voicemailCount)
              catalog:    \(dataSet.catalogURL.path)
              Tunisia:    \(dataSet.tunisianCatalogURL.path) (INPDP)

            Next, try:
              dsar discover --catalog \(dataSet.catalogURL.path) --subject email:amel.benali@example.tn
            """)
        if let expect { try printExpectation(email: expect, in: dataSet) }
    }

    func printExpectation(email: String, in dataSet: CallCenterDataSet) throws {
        guard let person = dataSet.person(email: email) else {
            throw ValidationError("No customer with e-mail \(email).")
        }
        let expected = dataSet.expectation(for: person)
        func list(_ items: Set<ExpectedItem>) -> String { items.sorted().map(\.description).joined(separator: ", ") }
        print("""

            Expected for \(person.firstName) \(person.lastName) (customer \(person.customerID), phones \(person.phones.joined(separator: ", "))):
              records:   \(list(expected.records))
              files:     \(expected.files.sorted().joined(separator: ", "))
              conflicts: \(list(expected.conflicts))
              ambiguous: \(list(expected.ambiguous))
            """)
    }
}
