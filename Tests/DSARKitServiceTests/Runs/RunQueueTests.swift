import DSARKit
import DSARKitService
import Foundation
import Logging
import Testing

@Suite("The console's run queue")
struct RunQueueTests {
    /// A latch a run waits on, so a test can look at it while it works.
    struct Gate: Sendable {
        let stream: AsyncStream<Void>
        let continuation: AsyncStream<Void>.Continuation
        init() { (stream, continuation) = AsyncStream.makeStream() }
        func wait() async { for await _ in stream { break } }
        func open() { continuation.finish() }
    }

    static let quiet = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }

    static func folder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("dsar-runs-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    /// Waits (briefly) until `queue` has started the run of `id`.
    static func running(_ queue: RunQueue, _ id: String) async throws -> RunJob {
        for _ in 0..<500 {
            if let job = try await queue.job(of: id), job.state == .running, job.phase != "queued" { return job }
            try await Task.sleep(for: .milliseconds(10))
        }
        throw CancellationError()
    }

    @Test("Submitting returns at once; the run reports counts while it works; a second run of the request waits; a failure is kept with its code")
    func progressAndFailure() async throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let queue = RunQueue(database: try APIDatabase(path: folder.appendingPathComponent("service.sqlite").path), logger: Self.quiet)
        let gate = Gate()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await queue.run() }
            let job = try await queue.submit("R-2026-0007", kind: .erasure, officer: "alice", at: Date()) { progress in
                progress.report("erasing", done: 4, total: 9)
                await gate.wait()
                throw DSARError(.storeFailure, "the store went away", location: "crm")
            }
            #expect(job.state == .queued, "submitting does not wait for the work")
            let running = try await Self.running(queue, "R-2026-0007")
            #expect(running.phase == "erasing" && running.done == 4 && running.total == 9)
            await #expect(throws: DSARError.self) {
                try await queue.submit("R-2026-0007", kind: .erasure, officer: "bob", at: Date()) { _ in throw CancellationError() }
            }
            gate.open()
            await queue.finished("R-2026-0007")
            let failed = try #require(try await queue.job(of: "R-2026-0007"))
            #expect(failed.state == .failed && failed.failure == "storeFailure: the store went away")
            #expect(failed.officer == "alice")
            group.cancelAll()
        }
    }

    @Test("A run cut short by a server stop shows as interrupted after the restart")
    func interruptedByRestart() async throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("service.sqlite").path
        let before = RunQueue(database: try APIDatabase(path: path), logger: Self.quiet)
        let gate = Gate()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await before.run() }
            try await before.submit("R-2026-0008", kind: .package, officer: "alice", at: Date()) { progress in
                progress.report("packaging", done: 1, total: 2)
                await gate.wait()
                throw CancellationError()
            }
            _ = try await Self.running(before, "R-2026-0008")
            // The server stops here (killed: nothing more is written) and starts again over the same service file.
            let after = RunQueue(database: try APIDatabase(path: path), logger: Self.quiet)
            let job = try #require(try await after.job(of: "R-2026-0008"))
            #expect(job.state == .interrupted && job.kind == .package && job.officer == "alice")
            #expect(try await after.job(of: "R-2026-0009") == nil)
            gate.open()
            group.cancelAll()
        }
    }
}
