import CallCenterExample
import DSARKit
import Foundation
import GRDB
import Testing

@Suite("UTF-8 names in packages")
struct UTF8NameTests {
    static let names = ["appel-é-Lefèvre.wav", "مكالمة-أمل.wav"]

    /// A copy of the example where two of Amel's recordings have accented and Arabic file names.
    static func renamedExample() throws -> (CallCenterDataSet, [String: String]) {
        var renamed: [String: String] = [:]
        let folder = try ExampleData.temporaryFolder("utf8-example")
        let dataSet = try CallCenterDataSet.generate(into: folder)
        let queue = try DatabaseQueue(path: dataSet.databaseURL.path)
        try queue.write { db in
            for (id, name) in zip([1, 3], names) {
                let old = try String.fetchOne(db, sql: "SELECT path FROM recordings WHERE id = ?", arguments: [id])!
                let new = (old as NSString).deletingLastPathComponent + "/" + name
                try FileManager.default.moveItem(at: dataSet.recordingsURL.appendingPathComponent(old),
                                                 to: dataSet.recordingsURL.appendingPathComponent(new))
                try db.execute(sql: "UPDATE recordings SET path = ? WHERE id = ?", arguments: [new, id])
                renamed["recordings/" + old] = "recordings/" + new
            }
        }
        return (dataSet, renamed)
    }

    @Test("Accented and Arabic file names round-trip through every format and both tools", arguments: AccessPackageTests.variants)
    func roundTrip(_ variant: AccessPackageTests.Variant) async throws {
        let localeBefore = String(cString: setlocale(LC_CTYPE, nil))
        let (dataSet, renamed) = try Self.renamedExample()
        let fixture = try AccessFixture(dataSet)
        let (url, _) = try await fixture.write(AccessPackageTests.amel, AccessFixture.options(variant.format, encrypted: variant.encrypted))
        let passphrase = variant.encrypted ? AccessFixture.passphrase : nil
        #expect(String(cString: setlocale(LC_CTYPE, nil)) == localeBefore, "the process locale is left alone")
        for tool in variant.format == .zip ? ["bsdtar", "7z"] : ["bsdtar"] {
            let folder = try AccessFixture.extract(url, with: tool, passphrase: passphrase)
            let files = AccessFixture.files(below: folder).map { ($0 as NSString).lastPathComponent }
            for name in Self.names {
                #expect(files.contains(name), "\(name) via \(tool): \(files)")
            }
            let person = try #require(fixture.dataSet.person(email: AccessPackageTests.amel))
            try fixture.compareWithStores(folder, person: person, sourceLabel: "\(variant.testDescription) via \(tool)",
                                         renamed: renamed)
        }
        #expect(try PackageVerifier.verify(url, passphrase: passphrase).isValid)
    }

    @Test("An Arabic-script name is shown on the page and links percent-encoded")
    func arabicSubject() async throws {
        let fixture = try AccessFixture()
        let person = try #require(fixture.dataSet.people.first { $0.firstName.unicodeScalars.contains { $0.properties.isAlphabetic && $0.value > 0x600 && $0.value < 0x700 } })
        let (url, _) = try await fixture.write(person.email, AccessFixture.options(.tarGzip))
        let folder = try AccessFixture.extract(url, with: "bsdtar")
        let html = try String(contentsOf: folder.appendingPathComponent("index.html"), encoding: .utf8)
        #expect(html.contains(person.fullName))
        let fixtureUTF8 = try AccessFixture(try Self.renamedExample().0)
        let (renamed, _) = try await fixtureUTF8.write(AccessPackageTests.amel, AccessFixture.options(.zip))
        let page = try String(contentsOf: AccessFixture.extract(renamed, with: "bsdtar").appendingPathComponent("index.html"), encoding: .utf8)
        #expect(page.contains("appel-%C3%A9-Lef%C3%A8vre.wav"), "the audio source is a valid relative URL")
    }
}
