import CallCenterExample
import DSARKit
import Foundation
import Synchronization
import Testing

/// The example's SQLite store, seen through a change made after discovery: each read of
/// `collection` past the first `after` ones passes its records through `change`.
final class ChangingStore: DataStore {
    let inner: any DataStore
    let collection: String
    let after: Int
    let change: @Sendable (Record) -> Record?
    let reads = Mutex(0)
    var name: String { inner.name }

    init(inner: any DataStore, collection: String, after: Int, change: @escaping @Sendable (Record) -> Record?) {
        self.inner = inner
        self.collection = collection
        self.after = after
        self.change = change
    }

    func records(in collection: DataCollection, where match: ColumnMatch) -> AsyncThrowingStream<Record, any Error> {
        let source = inner.records(in: collection, where: match)
        guard collection.name == self.collection else { return source }
        let changing = reads.withLock { count in
            count += 1
            return count > after
        }
        guard changing else { return source }
        let change = self.change
        return AsyncThrowingStream { continuation in
            Task {
                do {
                    for try await record in source {
                        if let changed = change(record) { continuation.yield(changed) }
                    }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
        }
    }

    func inspect(_ collection: DataCollection) async throws -> CollectionInspection { try await inner.inspect(collection) }
}

@Suite("Access packages when the data changes after discovery")
struct AccessDataChangeTests {
    static let amel = "email:amel.benali@example.tn"

    /// Discovers Amel with link columns only (as `dsar access` does), then writes her package
    /// through a store that changes her calls from the `after`-th read on.
    func write(after reads: Int, _ change: @escaping @Sendable (Record) -> Record?) async throws -> (URL, Result<PackageSummary, any Error>) {
        let fixture = try AccessFixture()
        let subject = try DataSubject(parsing: [Self.amel], catalog: fixture.catalog)
        let result = try await Discovery(catalog: fixture.catalog, stores: fixture.stores).discover(subject, keeping: .linkColumns)
        let changing = ChangingStore(inner: try fixture.stores.store(for: try #require(fixture.catalog.collection(named: "calls"))),
                                     collection: "calls", after: reads, change: change)
        let stores = try StoreSet.open(for: fixture.catalog, supplied: [changing])
        let url = try ExampleData.temporaryFolder().appendingPathComponent("package.tar.gz")
        let writer = AccessPackageWriter(catalog: fixture.catalog, stores: stores)
        do {
            return (url, .success(try await writer.write(result: result, to: url, options: AccessFixture.options(.tarGzip))))
        } catch {
            return (url, .failure(error))
        }
    }

    static func replacing(_ column: String, with value: Value) -> @Sendable (Record) -> Record? {
        { record in Record(columns: record.columns, values: zip(record.columns, record.values).map { $0 == column ? value : $1 }) }
    }

    func expectRefused(_ outcome: (URL, Result<PackageSummary, any Error>), _ words: String) throws {
        let (url, result) = outcome
        guard case .failure(let error) = result else {
            Issue.record("the package was written")
            return
        }
        let failure = try #require(error as? DSARError, "\(error)")
        #expect(failure.code == .dataChanged, "\(failure)")
        #expect(failure.description.contains(words), "\(failure)")
        #expect(failure.description.contains("crm/calls"), "names store and collection: \(failure)")
        #expect(!failure.description.contains("amel"), "no personal data: \(failure)")
        let left = try FileManager.default.contentsOfDirectory(atPath: url.deletingLastPathComponent().path)
        #expect(left.isEmpty, "no package and no temporary file: \(left)")
    }

    @Test("A call moved to another customer after discovery is never packaged")
    func linkChanged() async throws {
        try expectRefused(try await write(after: 0, Self.replacing("customer_id", with: .integer(999_999))), "changed after it was found")
    }

    @Test("A call deleted after discovery stops the package")
    func vanished() async throws {
        try expectRefused(try await write(after: 0) { _ in nil }, "was removed")
    }

    @Test("A call edited between the survey and the writing of the package stops it")
    func changedWhileWriting() async throws {
        // Read 1 is the survey; read 2 writes index.html, the JSON and the CSV.
        try expectRefused(try await write(after: 1, Self.replacing("agent_notes", with: .text("edited meanwhile"))),
                          "changed while the package was written")
    }

    @Test("Each record is read back once to write the page, the JSON and the CSV, after the survey")
    func readOnce() async throws {
        let fixture = try AccessFixture()
        let subject = try DataSubject(parsing: [Self.amel], catalog: fixture.catalog)
        let result = try await Discovery(catalog: fixture.catalog, stores: fixture.stores).discover(subject, keeping: .linkColumns)
        try #require(!result.records(in: "calls").isEmpty)
        let counting = ChangingStore(inner: try fixture.stores.store(for: try #require(fixture.catalog.collection(named: "calls"))),
                                     collection: "calls", after: .max) { $0 }
        let stores = try StoreSet.open(for: fixture.catalog, supplied: [counting])
        let folder = try ExampleData.temporaryFolder()
        let url = folder.appendingPathComponent("package.tar.gz")
        _ = try await AccessPackageWriter(catalog: fixture.catalog, stores: stores).write(result: result, to: url,
                                                                                          options: AccessFixture.options(.tarGzip))
        #expect(counting.reads.withLock { $0 } == 2, "the survey, then one read for every entry that shows the calls")
        #expect(try PackageVerifier.verify(url).isValid)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["package.tar.gz"], "no temporary file left")
    }

    @Test("A call edited after discovery but before the package is written: the package shows the stored data")
    func editedBeforeWriting() async throws {
        let (url, result) = try await write(after: 0, Self.replacing("agent_notes", with: .text("edited before packaging")))
        let summary = try result.get()
        #expect(try PackageVerifier.verify(url).isValid)
        let folder = try AccessFixture.extract(url, with: "bsdtar")
        let csv = try String(contentsOf: folder.appendingPathComponent("data/calls.csv"), encoding: .utf8)
        let rows = try CSVTestParser.parse(csv)
        let notes = try #require(rows.first?.firstIndex(of: "agent_notes"))
        #expect(rows.count - 1 == summary.collections.first { $0.collection == "calls" }?.records)
        #expect(rows.dropFirst().allSatisfy { $0[notes] == "edited before packaging" })
    }
}
