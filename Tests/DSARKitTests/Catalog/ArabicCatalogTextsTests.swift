import DSARKit
import Foundation
import Testing

/// The catalog's texts in Arabic: checked as the French ones are.
@Suite("Catalog texts in Arabic")
struct ArabicCatalogTextsTests {
    static func warnings(_ text: String) throws -> [String] {
        try Catalog.parse(yaml: text, sourceName: "dsar.yaml", baseDirectory: URL(fileURLWithPath: "/tmp")).validate()
            .filter { $0.severity == .warning }.map(\.message)
    }

    @Test("The example translates everything into Arabic, and Arabic texts are shown, not warned about")
    func exampleIsComplete() throws {
        let catalog = try Catalog.load(from: ExampleData.dataSet.catalogURL)
        #expect(catalog.collection(named: "calls")?.text(in: "ar").purpose == "معالجة مكالماتكم")
        #expect(catalog.collection(named: "customers")?.text(in: "ar").categories == ["الهوية", "بيانات الاتصال"])
        let warned = try Self.warnings(try ExampleData.catalogText)
        #expect(!warned.contains { $0.contains("'ar'") }, "\(warned)")
    }

    @Test("dsar check names the collection and the field a page in Arabic shows untranslated")
    func missingArabicText() throws {
        let text = try ExampleData.catalogText
        let partial = text.replacingOccurrences(of: "      ar: 6 أشهر\n", with: "")
        try #require(partial != text)
        let loaded = try Catalog.parse(yaml: partial, sourceName: "dsar.yaml", baseDirectory: URL(fileURLWithPath: "/tmp"))
        #expect(loaded.collection(named: "calls")?.text(in: "ar").retention == "6 months", "falls back to English")
        let warned = try Self.warnings(partial).filter { $0.contains("'ar'") }
        #expect(warned.count == 1, "\(warned)")
        #expect(warned.first?.contains("collection 'calls' has no 'ar' text for retention") == true, "\(warned)")
    }
}
