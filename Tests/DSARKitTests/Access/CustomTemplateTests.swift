import DSARKit
import Foundation
import Testing

@Suite("Custom page templates")
struct CustomTemplateTests {
    /// The built-in templates, copied, with `index.en` changed by `edit`.
    func templates(_ edit: (String) -> String) throws -> AccessTemplates {
        let folder = try ExampleData.temporaryFolder()
        let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Sources/DSARKit/Access/Templates")
        for name in try FileManager.default.contentsOfDirectory(atPath: source.path) {
            var text = try String(contentsOf: source.appendingPathComponent(name), encoding: .utf8)
            if name == "index.en.mustache" { text = edit(text) }
            try text.write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        return try AccessTemplates(folder: folder)
    }

    func write(with templates: AccessTemplates) async throws -> (URL, (any Error)?) {
        let fixture = try AccessFixture()
        let result = try await fixture.discover(["email:amel.benali@example.tn"])
        let url = try ExampleData.temporaryFolder().appendingPathComponent("package.zip")
        do {
            _ = try await AccessPackageWriter(catalog: fixture.catalog, stores: fixture.stores, templates: templates)
                .write(result: result, to: url, options: AccessFixture.options(.zip))
            return (url, nil)
        } catch {
            return (url, error)
        }
    }

    @Test("An index that renders {{#rows}} itself, as templates made before the rows partial did, is refused, not emptied")
    func inlineRows() async throws {
        let inline = try templates { $0.replacingOccurrences(of: "{{> rows.en}}", with: "{{#rows}}<tr><td>{{#cells}}{{text}}{{/cells}}</td></tr>{{/rows}}") }
        let (url, error) = try await write(with: inline)
        let failure = try #require(error as? DSARError)
        #expect(failure.code == .invalidRequest)
        #expect(failure.description.contains("renders {{#rows}} itself"), "\(failure)")
        #expect(!FileManager.default.fileExists(atPath: url.path))
    }

    @Test("The built-in templates copied to a folder give a valid package")
    func copiedTemplates() async throws {
        let (url, error) = try await write(with: try templates { $0 })
        #expect(error == nil, "\(String(describing: error))")
        #expect(try PackageVerifier.verify(url).isValid)
    }
}
