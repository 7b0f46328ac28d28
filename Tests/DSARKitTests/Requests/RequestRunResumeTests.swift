import DSARKit
import DSARKitTesting
import Foundation
import Synchronization
import Testing

@Suite("Running requests: resume first, and who ran them")
struct RequestRunResumeTests {
    /// The household's audio store, whose first file removal fails as a disk would: the run
    /// stops half done, as when the process running it stops.
    final class FailingOnceAudio: ErasableFileStore {
        let base: InMemoryStore
        let failed = Mutex(false)
        init(_ base: InMemoryStore) { self.base = base }

        var name: String { base.name }
        func records(in collection: DataCollection, where match: ColumnMatch) -> AsyncThrowingStream<Record, any Error> {
            base.records(in: collection, where: match)
        }
        func inspect(_ collection: DataCollection) async throws -> CollectionInspection { try await base.inspect(collection) }
        func file(at path: String) async throws -> StoredFile? { try await base.file(at: path) }
        func read(_ file: StoredFile, chunkSize: Int, into body: (UnsafeRawBufferPointer) throws -> Void) async throws {
            try await base.read(file, chunkSize: chunkSize, into: body)
        }
        func removeFile(at path: String) async throws -> Bool {
            if !failed.withLock({ let before = $0; $0 = true; return before }) {
                throw DSARError(.storeFailure, "the disk went away", location: name)
            }
            return try await base.removeFile(at: path)
        }
    }

    @Test("Running a request whose own erasure was interrupted resumes that run, certifies it and closes the request, naming the officer")
    func resumesOwnRun() async throws {
        let fixture = try await RequestFixture()
        let request = try await fixture.book.open(.erasure, subject: try fixture.subject("email:amel.benali@example.tn"))
        try await fixture.book.verify(request.id, method: "reply from the address on file", officer: "alice")
        let stores = HouseholdFixture.stores()
        let failing = StoreSet([stores["crm"]!, FailingOnceAudio(stores["audio"] as! InMemoryStore)])
        let first = RequestRun(catalog: fixture.catalog, stores: failing, book: fixture.book, officer: "alice")
        await #expect(throws: DSARError.self) { try await first.erase(request.id) }
        #expect(try await fixture.book.request(request.id).status == .open)
        #expect(try await fixture.ledger.unfinishedRuns().count == 1, "the run is left interrupted")

        // Another request's erasure is still refused while this one is unfinished.
        let other = try await fixture.book.open(.erasure, subject: try fixture.subject("customer_id:4"))
        try await fixture.book.verify(other.id, method: "ID card at the counter")
        await #expect(throws: DSARError.self) { try await fixture.run(stores).erase(other.id) }

        var second = RequestRun(catalog: fixture.catalog, stores: stores, book: fixture.book, officer: "bob")
        let steps = Mutex<[Int]>([])
        second.onStep = { done, _ in steps.withLock { $0.append(done) } }
        let outcome = try await second.erase(request.id)
        #expect(!steps.withLock { $0 }.isEmpty, "steps are reported as they are done")
        #expect(outcome.isComplete)
        #expect(outcome.certificate.requestID == request.id, "the interrupted run itself was finished, not a new one")
        #expect(try await fixture.ledger.unfinishedRuns().isEmpty)
        let closed = try await fixture.book.request(request.id)
        #expect(closed.status == .completed && closed.runID == request.id)
        let timeline = try await fixture.book.timeline(of: request.id)
        #expect(timeline.contains { $0.event == "run.resumed" })
        #expect(timeline[1].detail == "identity verified: reply from the address on file (officer alice)")
        #expect(timeline.last?.event == "request.closed" && timeline.last?.detail.hasPrefix("erasure run \(request.id) by officer bob verified complete") == true)
        #expect(try await fixture.run(stores).erase(other.id).isComplete, "then the other request runs")
    }
}
