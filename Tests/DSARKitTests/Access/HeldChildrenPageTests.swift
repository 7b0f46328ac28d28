import DSARKit
import Foundation
import Testing

/// Rows kept because the row they sit under is held say so on the package's page.
@Suite("Rows under a held row on the package page")
struct HeldChildrenPageTests {
    @Test("A held customer's calls and recordings are marked as kept with it, in English and French; its own row and unheld rows are not")
    func heldParent() async throws {
        let catalog = DisputeFixture.catalog(customers: HoldRule(column: "litigation_until", reason: "Litigation in progress"))
        let stores = DisputeFixture.stores(litigationUntil: .text("2027-06-30"))
        let subject = try DataSubject(parsing: ["customer_id:1"], catalog: catalog)
        let result = try await Discovery(catalog: catalog, stores: stores).discover(subject, keeping: .linkColumns)
        for (language, words) in [(PackageLanguage.en, "kept with customers[id=1], which is under a legal hold"),
                                  (.fr, "conservé avec customers[id=1], qui fait l'objet d'une conservation légale")] {
            let url = try ExampleData.temporaryFolder().appendingPathComponent("package.tar.gz")
            let options = AccessPackageOptions(format: .tarGzip, encryption: .none, language: language, requestID: "REQ-HELD",
                                               generatedAt: DisputeFixture.now)
            _ = try await AccessPackageWriter(catalog: catalog, stores: stores).write(result: result, to: url, options: options)
            let folder = try AccessFixture.extract(url, with: "bsdtar")
            let page = try String(contentsOf: folder.appendingPathComponent("index.html"), encoding: .utf8)
            func row(_ collection: String, _ id: Int) throws -> String {
                let section = try #require(page.components(separatedBy: "id=\"c-\(collection)\">").dropFirst().first)
                return try #require(section.components(separatedBy: "<tr").first { $0.contains("<td>\(id)</td>") }, "\(collection) \(id)")
            }
            for call in [10, 11, 13] { #expect(try row("calls", call).contains(words), "call \(call), \(language)") }
            for recording in [110, 111, 113, 115] { #expect(try row("recordings", recording).contains(words), "recording \(recording), \(language)") }
            #expect(!(try row("customers", 1)).contains(words), "the held row itself has its own mark")
            let callsSection = try #require(page.components(separatedBy: "id=\"c-calls\">").dropFirst().first?.components(separatedBy: "</section>").first)
            #expect(callsSection.contains("Litigation in progress"), "the section says why: \(language)")
        }
    }
}
