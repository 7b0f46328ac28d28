import DSARKit
import Foundation
import Logging
import ServiceLifecycle

/// The console's long work, off the request path: ``submit(_:kind:officer:at:_:)`` records a run
/// and returns at once; the queue, a `Service` run beside the server (``DSARService`` runs it),
/// performs it while pages read its progress with ``job(of:)``.
///
/// With the service file (``APIDatabase``), every run is recorded there: a run a server stop
/// cut short is shown as ``RunJob/State/interrupted`` after the restart. Running the request
/// again finishes it safely: a package is written anew, and an erasure resumes its own
/// interrupted run first (``DSARKit/RequestRun/erase(_:override:)``).
public actor RunQueue: Service {
    /// The work of one run: it reports where it stands to the progress it is given.
    public typealias Work = @Sendable (RunProgress) async throws -> RunOutcome

    private struct Entry {
        var job: RunJob
        var progress: RunProgress
        var outcome: RunOutcome?
    }

    private struct Submitted: Sendable {
        let requestID: String
        let progress: RunProgress
        let work: Work
    }

    private let database: APIDatabase?
    private let logger: Logger
    private var entries: [String: Entry] = [:]
    private var waiting: [String: [CheckedContinuation<Void, Never>]] = [:]
    private let submissions: AsyncStream<Submitted>
    private let queue: AsyncStream<Submitted>.Continuation

    /// A queue recording its runs in `database` (`nil`: in memory only). Runs the database shows
    /// as still queued or running were cut short by a server stop: they are marked interrupted.
    public init(database: APIDatabase?, logger: Logger) {
        (submissions, queue) = AsyncStream.makeStream()
        self.database = database
        self.logger = logger
        do {
            if let stopped = try database?.markInterruptedRuns(), stopped > 0 {
                logger.warning("console: runs were interrupted by a server stop", metadata: ["runs": "\(stopped)"])
            }
        } catch {
            logger.error("console: the runs of the service database could not be read", metadata: ["error": "\(type(of: error))"])
        }
    }

    /// Records the run of request `requestID` and queues `work`; returns at once. Refused with
    /// `erasureInProgress` while the request's previous run is queued or running.
    @discardableResult
    public func submit(_ requestID: String, kind: RunJob.Kind, officer: String, at date: Date,
                       _ work: @escaping Work) async throws -> RunJob {
        if entries[requestID]?.job.isActive == true {
            throw DSARError(.erasureInProgress, "request \(requestID) is already running; wait for it to finish")
        }
        let job = RunJob(requestID: requestID, kind: kind, officer: officer, state: .queued, phase: "queued", done: 0, total: 0,
                         failure: nil, startedAt: date)
        try await database?.saveRun(job)
        let progress = RunProgress()
        entries[requestID] = Entry(job: job, progress: progress)
        queue.yield(Submitted(requestID: requestID, progress: progress, work: work))
        return job
    }

    /// The latest run of `requestID`, with its progress; from the service file when this
    /// process has not run it (finished, failed or interrupted before a restart).
    public func job(of requestID: String) async throws -> RunJob? {
        if let entry = entries[requestID] {
            var job = entry.job
            if job.state == .running {
                let now = entry.progress.current
                (job.phase, job.done, job.total) = (now.phase, now.done, now.total)
            }
            return job
        }
        return try await database?.run(of: requestID)
    }

    /// What the finished run of `requestID` produced, while this process keeps it.
    public func outcome(of requestID: String) -> RunOutcome? {
        entries[requestID]?.outcome
    }

    /// The passphrase of the package `requestID`'s run wrote, once, and only to the officer who
    /// ran it; forgotten then.
    public func takePassphrase(of requestID: String, officer: String) -> Passphrase? {
        guard let entry = entries[requestID], entry.job.officer == officer,
              case .package(let summary, let download, let passphrase?) = entry.outcome else { return nil }
        entries[requestID]?.outcome = .package(summary, download: download, passphrase: nil)
        return passphrase
    }

    /// Waits until the run of `requestID` is neither queued nor running.
    public func finished(_ requestID: String) async {
        while entries[requestID]?.job.isActive == true {
            await withCheckedContinuation { waiting[requestID, default: []].append($0) }
        }
    }

    /// Performs the queued runs, several at once, until the application shuts down. A run cut
    /// short then stays recorded as running, and shows as interrupted after the restart.
    public func run() async throws {
        let submissions = self.submissions
        await cancelWhenGracefulShutdown {
            await withDiscardingTaskGroup { group in
                for await submitted in submissions {
                    group.addTask { await self.perform(submitted) }
                }
            }
        }
    }

    private func perform(_ submitted: Submitted) async {
        let id = submitted.requestID
        await update(id, state: .running)
        do {
            let outcome = try await submitted.work(submitted.progress)
            entries[id]?.outcome = outcome
            await update(id, state: .finished)
        } catch {
            let failure = (error as? DSARError).map { "\($0.code): \($0.message)" } ?? "the run failed (\(type(of: error)))"
            logger.notice("console: a run failed", metadata: ["request": "\(id)", "error": "\((error as? DSARError)?.code.description ?? "\(type(of: error))")"])
            await update(id, state: .failed, failure: failure)
        }
    }

    private func update(_ id: String, state: RunJob.State, failure: String? = nil) async {
        guard var job = entries[id]?.job else { return }
        job.state = state
        job.failure = failure
        entries[id]?.job = job
        do {
            try await database?.saveRun(job)
        } catch {
            logger.error("console: a run's state could not be recorded", metadata: ["request": "\(id)", "error": "\(type(of: error))"])
        }
        if !job.isActive, let continuations = waiting.removeValue(forKey: id) {
            for continuation in continuations { continuation.resume() }
        }
    }
}
