import CallCenterExample
import DSARKit
import Foundation
import Testing

/// Packages and cover letters in Arabic (`--language ar`), written for a Tunisian reader.
@Suite("Arabic packages and letters")
struct ArabicPackageTests {
    /// The fixture's date, 2026-05-28, as a Tunisian letter writes it: Maghreb month name, Western digits.
    static let tunisianDate = "28 ماي، 2026"

    /// `--language ar`.
    static func arabic() throws -> PackageLanguage {
        try #require(PackageLanguage(rawValue: "ar"), "Arabic is a package language")
    }

    /// Eastern Arabic digits (٠-٩, ۰-۹), which a Tunisian reader does not use.
    static func easternDigits(in text: String) -> [Character] {
        text.filter { $0.unicodeScalars.contains { (0x660...0x669).contains($0.value) || (0x6F0...0x6F9).contains($0.value) } }
    }

    static func unescaped(_ html: String) -> String {
        html.replacingOccurrences(of: "&#39;", with: "'").replacingOccurrences(of: "&#x27;", with: "'")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&amp;", with: "&")
    }

    /// Writes the Arabic package of `email` from a catalog given as text (over the example's stores).
    static func write(_ email: String, catalogText: String, name: String = #function) async throws -> (folder: URL, summary: PackageSummary) {
        let catalog = try Catalog.parse(yaml: catalogText, sourceName: "dsar.yaml", baseDirectory: ExampleData.dataSet.directory)
        let stores = try StoreSet.open(for: catalog)
        let subject = try DataSubject(parsing: ["email:\(email)"], catalog: catalog)
        let result = try await Discovery(catalog: catalog, stores: stores).discover(subject, keeping: .linkColumns)
        let url = try ExampleData.temporaryFolder(name).appendingPathComponent("package.zip")
        let summary = try await AccessPackageWriter(catalog: catalog, stores: stores)
            .write(result: result, to: url, options: AccessFixture.options(.zip, language: try Self.arabic()))
        return (try AccessFixture.extract(url, with: "bsdtar"), summary)
    }

    @Test("The Arabic page is right to left, with Maghreb month names, Western digits, the catalog's Arabic texts and the players")
    func arabicPage() async throws {
        let fixture = try AccessFixture()
        let (url, summary) = try await fixture.write(AccessPackageTests.amel, AccessFixture.options(.zip, language: try Self.arabic()))
        let folder = try AccessFixture.extract(url, with: "bsdtar")
        let html = Self.unescaped(try String(contentsOf: folder.appendingPathComponent("index.html"), encoding: .utf8))
        #expect(html.contains("<html lang=\"ar\" dir=\"rtl\">"))
        #expect(html.contains("حقوقكم"), "the rights, in Arabic")
        #expect(html.contains(Self.tunisianDate), "the date as a Tunisian reader writes it")
        #expect(!html.contains("مايو"), "not the Mashriq month name")
        #expect(html.contains("نحتفظ بـ \(summary.records) تسجيلًا"), "counts in Western digits")
        #expect(Self.easternDigits(in: html).isEmpty)
        #expect(html.contains("CNIL"), "the authority named in the catalog")
        for collection in fixture.catalog.collections {
            let arabic = collection.text(in: "ar")
            #expect(arabic.purpose != collection.purpose, "\(collection.name): the example gives an Arabic purpose")
            #expect(html.contains(try #require(arabic.purpose)), "\(collection.name): Arabic purpose")
            #expect(!html.contains(try #require(collection.purpose)), "\(collection.name): not the English one")
            #expect(html.contains(try #require(arabic.retention)), "\(collection.name): Arabic retention")
        }
        #expect(html.contains("مكالمة أمر استثمار محفوظة 5 سنوات"), "the hold's reason in Arabic")
        let audioFiles = AccessFixture.files(below: folder).filter { $0.hasPrefix("files/") && $0.hasSuffix(".wav") }
        #expect(!audioFiles.isEmpty)
        #expect(AccessPageBrowserTests.count("<audio controls", in: html) == audioFiles.count, "one player per recording")
    }

    @Test("The Arabic cover letter: Arabic text, Tunisian date, Western digits, the reference")
    func arabicLetter() async throws {
        let fixture = try AccessFixture()
        let (_, summary) = try await fixture.write(AccessPackageTests.amel, AccessFixture.options(.zip, encrypted: true, language: try Self.arabic()))
        let letter = summary.coverLetter
        #expect(letter.hasPrefix("Amel Ben Ali، تحية طيبة"), "\(letter.prefix(40))")
        #expect(letter.contains("المادة 15"))
        #expect(letter.contains("مرجعكم هو REQ-TEST-1"))
        #expect(letter.contains("يحتوي على \(summary.records) تسجيلًا"))
        #expect(letter.hasSuffix(Self.tunisianDate + "\n") || letter.hasSuffix(Self.tunisianDate), "signed with the Tunisian date")
        #expect(letter.contains("عبارة المرور"), "the letter says the passphrase comes apart")
        #expect(!letter.contains(AccessFixture.passphrase.value), "never the passphrase in the letter")
        #expect(Self.easternDigits(in: letter).isEmpty)
    }

    @Test("A text the catalog gives without Arabic falls back to English on the Arabic page")
    func fallbackToEnglish() async throws {
        let text = try ExampleData.catalogText
        let withoutArabic = text.replacingOccurrences(of: "      ar: معالجة مكالماتكم\n", with: "")
        try #require(withoutArabic != text)
        let (folder, _) = try await Self.write(AccessPackageTests.amel, catalogText: withoutArabic)
        let html = Self.unescaped(try String(contentsOf: folder.appendingPathComponent("index.html"), encoding: .utf8))
        #expect(html.contains("<dd>Handling your calls</dd>"), "the calls' purpose, in English")
        #expect(!html.contains("معالجة مكالماتكم"))
        #expect(html.contains("<dd>6 أشهر</dd>"), "the calls' retention, still in Arabic")
        #expect(html.contains("<dd>إدارة حساب الحريف الخاص بكم</dd>"), "other collections, still in Arabic")
    }

    @Test("The Tunisian variant of the example names the INPDP as the authority, on the Arabic page too")
    func tunisianVariant() async throws {
        let dataSet = ExampleData.dataSet
        let catalog = try Catalog.load(from: dataSet.directory.appendingPathComponent("dsar.tn.yaml"))
        let authority = try #require(catalog.controller.authority)
        #expect(authority.contains("INPDP") && authority.contains("2004-63") && authority.contains("الهيئة الوطنية لحماية المعطيات الشخصية"))
        #expect(!authority.contains("CNIL"))
        #expect(try Catalog.load(from: dataSet.catalogURL).controller.authority?.contains("CNIL") == true, "the French variant keeps the CNIL")
        let problems = catalog.validate().filter { $0.severity == .error || $0.message.contains("'ar'") }
        #expect(problems.isEmpty, "\(problems.map(\.message))")
        let (folder, _) = try await Self.write(AccessPackageTests.amel,
                                               catalogText: try String(contentsOf: dataSet.directory.appendingPathComponent("dsar.tn.yaml"), encoding: .utf8))
        let html = try String(contentsOf: folder.appendingPathComponent("index.html"), encoding: .utf8)
        #expect(html.contains("<dt>سلطة الرقابة</dt><dd><bdi>الهيئة الوطنية لحماية المعطيات الشخصية — INPDP"))
        #expect(!html.contains("CNIL"))
    }
}
