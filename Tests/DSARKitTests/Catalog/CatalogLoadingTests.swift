import DSARKit
import Foundation
import Testing

@Suite("Catalog loading and validation")
struct CatalogLoadingTests {
    @Test("The reference catalog of the example loads exactly as written")
    func referenceCatalog() throws {
        let catalog = try Catalog.load(from: ExampleData.dataSet.catalogURL)
        #expect(catalog.controller.name == "Atlas Contact SARL")
        #expect(catalog.identifiers.map(\.name) == ["customer_id", "email", "phone"])
        #expect(catalog.identifierType(named: "phone")?.shared == true)
        #expect(catalog.identifierType(named: "phone")?.region == "FR")
        #expect(catalog.collections.map(\.name) == ["customers", "consents", "calls", "recordings", "voicemails"])
        let recordings = try #require(catalog.collection(named: "recordings"))
        #expect(recordings.lawfulBasis == .column("basis"))
        #expect(recordings.hold?.column == "legal_hold_until")
        #expect(recordings.files == FileLink(column: "path", store: "recordings"))
        #expect(catalog.collection(named: "calls")?.erase == .mask([
            ColumnMask(column: "caller_number", strategy: .hash), ColumnMask(column: "agent_notes", strategy: .null),
        ]))
        #expect(catalog.collection(named: "consents")?.erase == .retain(reason: "Proof of consent (GDPR Art. 7(1))"))
        #expect(catalog.collection(named: "voicemails")?.pattern?.placeholders == ["phone", "received"])
        #expect(catalog.validate().filter { $0.severity == .error }.isEmpty)
    }

    @Test("Children come before parents in the erasure order")
    func erasureOrder() throws {
        let order = try #require(try Catalog.load(from: ExampleData.dataSet.catalogURL).erasureOrder)
        let position = Dictionary(uniqueKeysWithValues: order.enumerated().map { ($1, $0) })
        #expect(position["recordings"]! < position["calls"]!)
        #expect(position["calls"]! < position["customers"]!)
        #expect(position["consents"]! < position["customers"]!)
    }

    @Test("Invalid YAML is reported with its line and column")
    func badYAML() throws {
        let text = try ExampleData.catalogText.replacingOccurrences(of: "    table: calls\n", with: "    table: [calls\n")
        let problems = try loadProblems(text)
        #expect(problems.contains { $0.place.hasPrefix("dsar.yaml:") && $0.message.contains("invalid YAML") })
    }

    @Test("An unknown identifier type names its place and the known types")
    func unknownIdentifierType() throws {
        let text = try ExampleData.catalogText.replacingOccurrences(of: "identifiers: { caller_number: phone }",
                                                                   with: "identifiers: { caller_number: telephone }")
        let problems = try loadProblems(text)
        let problem = try #require(problems.first { $0.message.contains("unknown identifier type 'telephone'") })
        let lineNumber = try line(of: "caller_number: telephone", in: text)
        let column = try #require(text.components(separatedBy: "\n")[lineNumber - 1].range(of: "telephone")).lowerBound.utf16Offset(
            in: text.components(separatedBy: "\n")[lineNumber - 1]) + 1
        #expect(problem.place == "dsar.yaml:\(lineNumber):\(column)")
        #expect(problem.fix?.contains("customer_id, email, phone") == true)
    }

    @Test("Unknown stores, duplicate names and reference cycles are errors")
    func structuralErrors() throws {
        var text = try ExampleData.catalogText.replacingOccurrences(of: "    store: crm\n    table: calls", with: "    store: telephony\n    table: calls")
        #expect(try loadProblems(text).contains { $0.message.contains("unknown store 'telephony'") })

        text = try ExampleData.catalogText.replacingOccurrences(of: "  voicemails:\n", with: "  calls:\n")
        #expect(try loadProblems(text).contains { $0.message.contains("duplicate") && $0.message.contains("calls") })

        text = try ExampleData.catalogText.replacingOccurrences(
            of: "    identifiers: { id: customer_id, email: email, mobile: phone }\n",
            with: "    identifiers: { id: customer_id, email: email, mobile: phone }\n    references: { last_call: calls.id }\n")
        let cycle = try #require(try loadProblems(text).first { $0.message.contains("cycle") })
        #expect(cycle.message.contains("customers → calls → customers") || cycle.message.contains("calls → customers → calls"))
    }

    @Test("Bad values name their place: lawful basis, erase rule, key mask, pattern")
    func badValues() throws {
        let base = try ExampleData.catalogText
        let cases: [(String, String, String)] = [
            ("lawfulBasis: contract", "lawfulBasis: because", "unknown lawful basis 'because'"),
            ("erase: delete\n  consents", "erase: shred\n  consents", "unknown erase rule 'shred'"),
            ("mask: { caller_number: hash, agent_notes: \"null\" }", "mask: { id: hash }", "masks its key column 'id'"),
            ("pattern: \"voicemail/{phone}_{received}.wav\"", "pattern: \"../voicemail/{phone}.wav\"", "'..' is not allowed"),
            ("retainReason: Proof of consent (GDPR Art. 7(1))\n", "\n", "retained but gives no reason"),
        ]
        for (from, to, expected) in cases {
            #expect(base.contains(from), "the reference catalog changed: \(from)")
            let problems = try loadProblems(base.replacingOccurrences(of: from, with: to))
            #expect(problems.contains { $0.message.contains(expected) && $0.place.hasPrefix("dsar.yaml") },
                    "expected \(expected) in \(problems)")
        }
    }

    @Test("A catalog built in code validates like one loaded from YAML")
    func catalogInCode() {
        let catalog = Catalog(
            controller: Controller(name: "Atlas", contact: "dpo@example.com"),
            identifiers: [IdentifierType(name: "email", kind: .email)],
            stores: [.sqlite("crm", path: "crm.sqlite")],
            collections: [
                DataCollection(name: "customers", store: "crm", table: "customers", key: ["id"],
                               identifiers: [IdentifierColumn(column: "email", type: "email")],
                               purpose: "Accounts", lawfulBasis: .fixed(.contract)),
                DataCollection(name: "orders", store: "crm", table: "orders", key: ["id"],
                               references: [Reference(column: "customer_id", targetCollection: "clients", targetColumn: "id")],
                               purpose: "Orders", lawfulBasis: .fixed(.contract)),
            ])
        let errors = catalog.validate().filter { $0.severity == .error }
        #expect(errors.count == 1)
        #expect(errors.first?.message.contains("unknown collection 'clients'") == true)
    }

    @Test("Subject-facing texts can be given per language; pages fall back field by field; check says where")
    func textsPerLanguage() throws {
        let catalog = try Catalog.load(from: ExampleData.dataSet.catalogURL)
        let recordings = try #require(catalog.collection(named: "recordings"))
        #expect(recordings.purpose == "Call recording for quality and proof", "the en text is the collection's own")
        #expect(recordings.text(in: "fr").purpose == "Enregistrement des appels, pour la qualité du service et la preuve")
        #expect(recordings.text(in: "fr").holdReason == "Appel d'ordre d'investissement conservé 5 ans (MiFID II, art. 16(7))")
        #expect(recordings.hold?.reason == "Investment-order call kept 5 years (MiFID II Art. 16(7))")
        #expect(catalog.collection(named: "customers")?.text(in: "fr").categories == ["identité", "coordonnées"])
        #expect(catalog.collection(named: "customers")?.text(in: "de").purpose == "Managing your customer account", "no German: own text")
        #expect(!catalog.validate().contains { $0.message.contains("'fr' text") }, "the example translates everything")

        // A text left in one language only: loads, and check names the collection and the field.
        let partial = try ExampleData.catalogText.replacingOccurrences(of: "    retention:\n      en: 6 months\n      fr: 6 mois\n      ar: 6 أشهر\n",
                                                                       with: "    retention: 6 months\n")
        let loaded = try Catalog.parse(yaml: partial, sourceName: "dsar.yaml", baseDirectory: URL(fileURLWithPath: "/tmp"))
        #expect(loaded.collection(named: "calls")?.text(in: "fr").retention == "6 months")
        let warnings = loaded.validate().filter { $0.severity == .warning && $0.message.contains("'fr' text") }
        #expect(warnings.count == 1)
        #expect(warnings.first?.message.contains("'calls' has no 'fr' text for retention") == true, "\(warnings)")

        // Keys that are not language codes, and values that are not text, are errors naming their line.
        let bad = try ExampleData.catalogText
            .replacingOccurrences(of: "      fr: Traitement de vos appels\n", with: "      French: Traitement de vos appels\n")
            .replacingOccurrences(of: "      fr: 3 mois\n", with: "      fr: { months: 3 }\n")
        let problems = try loadProblems(bad)
        let frenchLine = try line(of: "French:", in: bad)
        #expect(problems.contains { $0.message.contains("'French' in purpose of collection 'calls' is not a language code") &&
            $0.place == "dsar.yaml:\(frenchLine):7" }, "\(problems)")
        #expect(problems.contains { $0.message.contains("the 'fr' text of retention of collection 'voicemails' must be text") }, "\(problems)")

        let emptyList = try ExampleData.catalogText.replacingOccurrences(of: "    recipients: []\n", with: "    recipients: {}\n")
        #expect(try loadProblems(emptyList).contains { $0.message.contains("recipients of collection 'customers' must be a list") })

        // Languages no package is written in, and per-language texts without English, are warned about.
        let odd = try ExampleData.catalogText
            .replacingOccurrences(of: "      fr: 6 mois\n", with: "      fr: 6 mois\n      fr-CA: 6 mois\n")
            .replacingOccurrences(of: "      en: 3 months\n", with: "")
        let warned = try Catalog.parse(yaml: odd, sourceName: "dsar.yaml", baseDirectory: URL(fileURLWithPath: "/tmp")).validate()
            .filter { $0.severity == .warning }.map(\.message)
        #expect(warned.contains { $0.contains("texts in 'fr-CA' are never shown") }, "\(warned)")
        #expect(warned.contains { $0.contains("'voicemails' has no 'en' text for retention") }, "\(warned)")
    }

    private func loadProblems(_ text: String) throws -> [CatalogProblem] {
        do {
            _ = try Catalog.parse(yaml: text, sourceName: "dsar.yaml", baseDirectory: URL(fileURLWithPath: "/tmp"))
            Issue.record("the catalog should not have loaded")
            return []
        } catch let error as CatalogError {
            return error.problems
        }
    }

    private func line(of needle: String, in text: String) throws -> Int {
        let lines = text.components(separatedBy: "\n")
        return try #require(lines.firstIndex { $0.contains(needle) }) + 1
    }
}
