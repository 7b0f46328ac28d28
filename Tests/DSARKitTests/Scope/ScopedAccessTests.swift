import CallCenterExample
import DSARKit
import Foundation
import Testing

@Suite("Scoped access packages")
struct ScopedAccessTests {
    private func package(_ fixture: ScopeFixture, customer: Int64, scope: RequestScope,
                         language: PackageLanguage = .en) async throws -> (manifest: PackageManifest, files: [String], page: String) {
        let stores = try StoreSet.open(for: fixture.catalog)
        let subject = try DataSubject(parsing: ["customer_id:\(customer)"], catalog: fixture.catalog)
        let result = try await Discovery(catalog: fixture.catalog, stores: stores).discover(subject, keeping: .linkColumns)
        var options = AccessFixture.options(.tarGzip, language: language)
        options.scope = scope
        let url = try ExampleData.temporaryFolder().appendingPathComponent("package.tar.gz")
        _ = try await AccessPackageWriter(catalog: fixture.catalog, stores: stores).write(result: result, to: url, options: options)
        let folder = try AccessFixture.extract(url, with: "bsdtar")
        let page = try String(contentsOf: folder.appendingPathComponent("index.html"), encoding: .utf8)
        return (try AccessFixture.manifest(in: folder), AccessFixture.files(below: folder).filter { $0.hasPrefix("files/") }, page)
    }

    @Test("--record calls:KEY: the package holds exactly that call and its recording, and says so")
    func oneCall() async throws {
        let fixture = try ScopeFixture()
        let (customer, calls) = try fixture.customerWithCalls()
        let call = calls[0]
        let (manifest, files, page) = try await package(fixture, customer: customer,
                                                        scope: RequestScope(records: [ScopedRecord(collection: "calls", key: "\(call.id)")]))
        let expected = Set([ExpectedItem(collection: "calls", key: "\(call.id)")]
            + call.recordings.map { ExpectedItem(collection: "recordings", key: "\($0)") })
        #expect(AccessFixture.items(manifest) == expected)
        #expect(files == (try call.recordings.map { "files/recordings/" + (try fixture.recordingPath($0)) }.sorted()))
        #expect(page.contains("As you asked, this copy holds only part of your data: your record in “calls” of "))
        #expect(page.contains("; the record in “recordings” of your “calls” of "))
        #expect(!page.contains("Where we looked and found nothing"), "collections outside the scope were not searched for this answer")
    }

    @Test("A recording selected alone takes nothing else; the French page states the scope")
    func recordingAlone() async throws {
        let fixture = try ScopeFixture()
        let (customer, calls) = try fixture.customerWithCalls()
        let recording = calls[1].recordings[0]
        let (manifest, files, page) = try await package(fixture, customer: customer, scope: RequestScope(
            records: [ScopedRecord(collection: "recordings", key: "id=\(recording)")]), language: .fr)
        #expect(AccessFixture.items(manifest) == [ExpectedItem(collection: "recordings", key: "\(recording)")])
        #expect(files == ["files/recordings/" + (try fixture.recordingPath(recording))])
        #expect(page.contains("cette copie ne contient qu'une partie de vos données : votre fiche dans « recordings »"))
    }

    @Test("--between selects the calls of those days on the declared time column, with their recordings")
    func betweenDays() async throws {
        let fixture = try ScopeFixture()
        let (customer, calls) = try fixture.customerWithCalls()
        let call = calls[1]
        let day = try #require(CalendarDay(call.day))
        let (manifest, _, page) = try await package(fixture, customer: customer,
                                                    scope: RequestScope(between: try DayRange(from: day, to: day)))
        let expected = Set([ExpectedItem(collection: "calls", key: "\(call.id)")]
            + call.recordings.map { ExpectedItem(collection: "recordings", key: "\($0)") })
        #expect(AccessFixture.items(manifest) == expected)
        #expect(manifest.scope == RequestScope(between: try DayRange(from: day, to: day)), "manifest.json states the scope")
        let long = DateFormatter()
        long.locale = Locale(identifier: "en_GB")
        long.timeZone = TimeZone(identifier: "UTC")
        long.dateStyle = .long
        #expect(page.contains("your record in “calls” of \(long.string(from: day.date))"))

        let (recordingsOnly, files, recordingsPage) = try await package(fixture, customer: customer, scope: RequestScope(
            collections: ["recordings"], between: try DayRange(from: day, to: day)))
        #expect(AccessFixture.items(recordingsOnly) == Set(call.recordings.map { ExpectedItem(collection: "recordings", key: "\($0)") }))
        #expect(files.count == call.recordings.count)
        #expect(recordingsPage.contains("only part of your data: the record in “recordings” of your “calls” of \(long.string(from: day.date))."))
    }
}
