import CallCenterExample
import Foundation
import Testing

@Suite("dsar catalog draft and dsar check --coverage")
struct CatalogDraftCommandTests {
    /// Every email and phone number of the example's people, as stored and normalised.
    static func personalValues(_ example: CallCenterDataSet) -> [String] {
        example.people.flatMap { [$0.email, $0.storedEmail] + $0.phones + ($0.storedMobile.map { [$0] } ?? []) }
    }

    @Test("draft writes a catalog that dsar check refuses until its TODOs are written, and prints no sampled value")
    func draftThenCheck() throws {
        let example = try CLI.example()
        let out = example.directory.appendingPathComponent("draft.yaml")
        let draft = try CLI.run(["catalog", "draft", "--store", "crm=\(example.databaseURL.path)", "--regions", "FR,TN",
                                 "--out", out.path])
        #expect(draft.status == 0, "\(draft.stderr)")
        let yaml = try String(contentsOf: out, encoding: .utf8)
        #expect(yaml.contains("crm: { type: sqlite, path: \"data/crm.sqlite\" }"))
        #expect(yaml.contains("caller_number: phone  #"))
        let check = try CLI.run(["check", "--catalog", out.path])
        #expect(check.status == 1)
        #expect(check.stdout.contains("the purpose of collection 'calls' is still TODO"), "\(check.stdout)")
        let json = try CLI.run(["catalog", "draft", "--store", "crm=\(example.databaseURL.path)", "--json"])
        #expect(json.status == 0)
        #expect(json.stdout.contains("\"identifiers\""))
        let printed = [draft.stdout, draft.stderr, yaml, check.stdout, check.stderr, json.stdout, json.stderr].joined(separator: "\n")
        let leaked = Self.personalValues(example).filter { printed.contains($0) }
        #expect(leaked.isEmpty, "\(leaked.count) personal values printed")
    }

    @Test("draft never writes over an existing file, and refuses a bad --store")
    func refusals() throws {
        let example = try CLI.example()
        let before = try Data(contentsOf: example.catalogURL)
        let existing = try CLI.run(["catalog", "draft", "--store", "crm=\(example.databaseURL.path)", "--out", example.catalogURL.path])
        #expect(existing.status != 0)
        #expect(try Data(contentsOf: example.catalogURL) == before)
        let bad = try CLI.run(["catalog", "draft", "--store", "crm"])
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("--store 'crm' must be NAME=PATH"))
    }

    @Test("check --coverage fails on a column added to a live table, and passes once it is ignored with a reason")
    func coverageGate() throws {
        let example = try CLI.example()
        let clean = try CLI.run(["check", "--coverage", "--catalog", example.catalogURL.path])
        #expect(clean.status == 0, "\(clean.stdout)\(clean.stderr)")
        try sqlite(example.databaseURL, "ALTER TABLE calls ADD COLUMN callback_number TEXT; UPDATE calls SET callback_number = caller_number;")
        let caught = try CLI.run(["check", "--coverage", "--catalog", example.catalogURL.path])
        #expect(caught.status == 1)
        #expect(caught.stdout.contains("crm/calls.callback_number: holds phone numbers outside the catalog"), "\(caught.stdout)")
        let json = try CLI.run(["check", "--coverage", "--json", "--catalog", example.catalogURL.path])
        #expect(json.status == 1)
        #expect(json.stdout.contains("\"column\" : \"callback_number\""), "\(json.stdout)")
        let printed = [caught.stdout, caught.stderr, json.stdout, json.stderr].joined(separator: "\n")
        #expect(Self.personalValues(example).allSatisfy { !printed.contains($0) })

        let text = try String(contentsOf: example.catalogURL, encoding: .utf8)
        try (text + "coverage:\n  ignore:\n    - { column: calls.callback_number, reason: \"copy of caller_number\" }\n")
            .write(to: example.catalogURL, atomically: true, encoding: .utf8)
        let ignored = try CLI.run(["check", "--coverage", "--catalog", example.catalogURL.path])
        #expect(ignored.status == 0, "\(ignored.stdout)\(ignored.stderr)")
        #expect(!ignored.stdout.contains("callback_number"))
    }

    @Test("check --coverage fails on files named by customer ids outside the catalog, prints them as JSON, and passes once their folder is ignored")
    func folderCoverageGate() throws {
        let example = try CLI.example()
        for file in ["callbacks/customer-1.wav", "callbacks/customer-2.wav"] {
            let url = example.recordingsURL.appendingPathComponent(file)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data("RIFF".utf8).write(to: url)
        }
        let caught = try CLI.run(["check", "--coverage", "--catalog", example.catalogURL.path])
        #expect(caught.status == 1)
        #expect(caught.stdout.contains("recordings/callbacks/customer-{customer_id}.wav: files whose names hold keys of a catalogued table, "
                                       + "which no collection covers (2 of 2 sampled file names hold a key of customers.id (store crm); "
                                       + "the path names customers)"), "\(caught.stdout)")
        let json = try CLI.run(["check", "--coverage", "--json", "--catalog", example.catalogURL.path])
        #expect(json.status == 1)
        #expect(json.stdout.contains("\"pattern\" : \"callbacks/customer-{customer_id}.wav\""), "\(json.stdout)")
        #expect(json.stdout.contains("\"kind\" : \"key\""))

        let text = try String(contentsOf: example.catalogURL, encoding: .utf8)
        try (text + "coverage:\n  ignore:\n    - { folder: recordings/callbacks, reason: \"IVR prompts recorded for each customer, erased nightly\" }\n")
            .write(to: example.catalogURL, atomically: true, encoding: .utf8)
        let ignored = try CLI.run(["check", "--coverage", "--catalog", example.catalogURL.path])
        #expect(ignored.status == 0, "\(ignored.stdout)\(ignored.stderr)")
        #expect(ignored.stdout.contains("0 columns and 2 files ignored by coverage.ignore."))
        let printed = [caught.stdout, caught.stderr, json.stdout, json.stderr, ignored.stdout].joined(separator: "\n")
        #expect(Self.personalValues(example).allSatisfy { !printed.contains($0) })
    }
}
