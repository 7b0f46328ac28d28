import CallCenterExample
import DSARKit
import Foundation
import Testing

@Suite("Access packages from the call-centre example")
struct AccessPackageTests {
    static let amel = "amel.benali@example.tn"

    struct Variant: CustomTestStringConvertible, Sendable {
        let format: PackageFormat
        let encrypted: Bool
        var testDescription: String { "\(format)\(encrypted ? " AES-256" : "")" }
    }

    static let variants = [
        Variant(format: .zip, encrypted: false), Variant(format: .zip, encrypted: true),
        Variant(format: .tarGzip, encrypted: false), Variant(format: .tarZstd, encrypted: false),
    ]

    @Test("Every format, extracted by bsdtar and 7z, holds exactly the subject's records and files, equal to the stores",
          arguments: variants)
    func extractedByOtherTools(_ variant: Variant) async throws {
        let fixture = try AccessFixture()
        let person = try #require(fixture.dataSet.person(email: Self.amel))
        let (url, summary) = try await fixture.write(Self.amel, AccessFixture.options(variant.format, encrypted: variant.encrypted))
        #expect(summary.records == fixture.dataSet.expectation(for: person).records.count)
        #expect(summary.encrypted == variant.encrypted)
        let passphrase = variant.encrypted ? AccessFixture.passphrase : nil
        let tools = variant.format == .zip ? ["bsdtar", "7z"] : ["bsdtar"]
        for tool in tools {
            let folder = try AccessFixture.extract(url, with: tool, passphrase: passphrase)
            try fixture.compareWithStores(folder, person: person, sourceLabel: "\(variant.testDescription) via \(tool)")
        }
        let report = try PackageVerifier.verify(url, passphrase: passphrase)
        #expect(report.isValid, "\(report.mismatches)")
        #expect(report.encrypted == variant.encrypted)
        #expect(report.format == variant.format)
    }

    @Test("An encrypted zip cannot be read without its passphrase, nor with a wrong one")
    func encryptionHolds() async throws {
        let fixture = try AccessFixture()
        let (url, _) = try await fixture.write(Self.amel, AccessFixture.options(.zip, encrypted: true))
        #expect(throws: DSARError.self) { try PackageVerifier.verify(url) }
        #expect(throws: DSARError.self) { try PackageVerifier.verify(url, passphrase: try Passphrase("not-the-right-one-at-all")) }
        let wrong = try ExternalTool.run(["7z", "x", "-y", "-pwrong-passphrase", "-o\(url.deletingLastPathComponent().path)/wrong", url.path])
        #expect(wrong.status != 0, "7z refuses a wrong passphrase")
        let bytes = try Data(contentsOf: url)
        #expect(bytes.range(of: Data("Ben Ali".utf8)) == nil, "no record content in clear inside the encrypted zip")
    }

    @Test("Same request, same content: unencrypted packages are byte-identical when written twice", arguments: PackageFormat.allCases)
    func deterministic(_ format: PackageFormat) async throws {
        let fixture = try AccessFixture()
        let (first, one) = try await fixture.write(Self.amel, AccessFixture.options(format))
        let (second, two) = try await fixture.write(Self.amel, AccessFixture.options(format))
        #expect(try Data(contentsOf: first) == Data(contentsOf: second))
        #expect(one.sha256 == two.sha256)
        #expect(one.sha256 == (try AccessFixture.sha256(first)), "the summary's SHA-256 is the file's")
    }

    @Test("The household: Amel's package holds nothing of Youssef's, by key and by file hash, and the reverse")
    func householdIsolation() async throws {
        let fixture = try AccessFixture()
        let dataSet = fixture.dataSet
        let amel = try #require(dataSet.person(email: Self.amel))
        let youssef = try #require(dataSet.person(customerID: 2))
        for (subject, other) in [(amel, youssef), (youssef, amel)] {
            let (url, _) = try await fixture.write(subject.email, AccessFixture.options(.zip))
            let folder = try AccessFixture.extract(url, with: "bsdtar")
            let manifest = try AccessFixture.manifest(in: folder)
            let otherExpected = dataSet.expectation(for: other)
            let subjectExpected = dataSet.expectation(for: subject)
            let keys = AccessFixture.items(manifest)
            #expect(keys.isDisjoint(with: otherExpected.records), "no record of customer \(other.customerID)")
            #expect(keys.isDisjoint(with: subjectExpected.conflicts), "no conflict")
            #expect(keys.isDisjoint(with: subjectExpected.ambiguous), "no ambiguous item")
            #expect(!otherExpected.files.isEmpty)
            let otherHashes = try Set(otherExpected.files.map {
                try AccessFixture.sha256(dataSet.recordingsURL.appendingPathComponent(String($0.dropFirst("recordings/".count))))
            })
            let packageHashes = Set(try AccessFixture.files(below: folder).map { try AccessFixture.sha256(folder.appendingPathComponent($0)) })
            #expect(packageHashes.isDisjoint(with: otherHashes), "no recording of customer \(other.customerID), by SHA-256")
            let data = try AccessFixture.files(below: folder).filter { $0.hasPrefix("data/") || $0 == "index.html" }
                .map { try String(contentsOf: folder.appendingPathComponent($0), encoding: .utf8) }.joined()
            #expect(!data.localizedCaseInsensitiveContains(other.email), "the other person's e-mail appears nowhere")
            #expect(!data.contains(other.firstName), "the other person's first name appears nowhere")
        }
    }

    @Test("Portability keeps only what is processed on consent or contract")
    func portability() async throws {
        let fixture = try AccessFixture()
        let (url, summary) = try await fixture.write(Self.amel, AccessFixture.options(.zip, portability: true))
        let folder = try AccessFixture.extract(url, with: "bsdtar")
        let manifest = try AccessFixture.manifest(in: folder)
        #expect(manifest.kind == "portability")
        #expect(Set(summary.collections.map(\.collection)) == ["customers", "recordings"])
        let recordings = try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("data/recordings.json"))) as? [[String: Any]]
        #expect(recordings?.allSatisfy { ["consent", "contract"].contains($0["basis"] as? String) } == true)
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("data/calls.json").path))
        let html = try String(contentsOf: folder.appendingPathComponent("index.html"), encoding: .utf8)
        #expect(html.contains("Art. 20"))
    }

    @Test("index.html in French and the cover letter come from the templates")
    func french() async throws {
        let fixture = try AccessFixture()
        let (url, summary) = try await fixture.write(Self.amel, AccessFixture.options(.zip, encrypted: true, language: .fr))
        let folder = try AccessFixture.extract(url, with: "7z", passphrase: AccessFixture.passphrase)
        let html = try String(contentsOf: folder.appendingPathComponent("index.html"), encoding: .utf8)
        #expect(html.contains("<html lang=\"fr\">"))
        #expect(html.contains("Vos droits"))
        #expect(html.contains("Amel Ben Ali"))
        #expect(html.contains("CNIL"), "the authority named in the catalog")
        #expect(html.contains("d'autres personnes"), "the page says that some items were withheld")
        // The catalog's texts in French where it gives them: purposes, retention, the hold's reason.
        let text = html.replacingOccurrences(of: "&#39;", with: "'").replacingOccurrences(of: "&#x27;", with: "'")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&amp;", with: "&")
        for collection in fixture.catalog.collections {
            let french = collection.text(in: "fr")
            #expect(text.contains(try #require(french.purpose)), "\(collection.name): French purpose")
            #expect(!text.contains(try #require(collection.purpose)), "\(collection.name): not the English one")
            #expect(text.contains(try #require(french.retention)))
        }
        #expect(text.contains("Appel d'ordre d'investissement conservé 5 ans"), "the hold's reason in French")
        #expect(summary.coverLetter.contains("phrase de passe"))
        #expect(summary.coverLetter.contains("unzip"), "the letter says that Info-ZIP unzip cannot open AES zips")
        #expect(!summary.coverLetter.contains(AccessFixture.passphrase.value), "never the passphrase in the letter")
    }

    @Test("The page carries the Art. 15(1) information of every collection and per-row lawful bases")
    func articleFifteen() async throws {
        let fixture = try AccessFixture()
        let (url, _) = try await fixture.write(Self.amel, AccessFixture.options(.tarZstd))
        let folder = try AccessFixture.extract(url, with: "bsdtar")
        let html = try String(contentsOf: folder.appendingPathComponent("index.html"), encoding: .utf8)
        for collection in fixture.catalog.collections {
            if let purpose = collection.purpose { #expect(html.contains(purpose)) }
            if let retention = collection.retention { #expect(html.contains(retention)) }
        }
        #expect(html.contains("your consent (GDPR Art. 6(1)(a))"), "recording 1's own basis")
        #expect(html.contains("a legal obligation we must meet"), "the investment-order recording")
        #expect(html.contains("MiFID II"), "the held recording's reason")
        for right in ["Rectification", "Erasure", "Restriction", "Objection", "Portability", "Complaint"] {
            #expect(html.contains(right))
        }
        #expect(html.contains("Some information was not included"))
        #expect(!html.contains("http://") && !html.contains("https://"), "nothing loads from the network")
    }

    @Test("A person with nothing held still gets a package that says so, and it verifies")
    func nothingHeld() async throws {
        let fixture = try AccessFixture()
        let (url, summary) = try await fixture.write("nobody@example.org", AccessFixture.options(.tarGzip))
        #expect(summary.records == 0 && summary.files == 0)
        let folder = try AccessFixture.extract(url, with: "bsdtar")
        #expect(AccessFixture.files(below: folder) == ["index.html", "manifest.json"])
        let html = try String(contentsOf: folder.appendingPathComponent("index.html"), encoding: .utf8)
        #expect(html.contains("We found no personal data about you"))
        #expect(!html.contains("<table"))
        #expect(try PackageVerifier.verify(url).isValid)
    }
}
