import AsyncHTTPClient
import DSARKit
import Foundation
import Logging
import NIOCore

/// Tells controllers when their OpenDSR requests change status (spec 0.1 §8.5–8.6): a POST to
/// each of the request's `status_callback_urls`, its body signed with the processor key
/// (`X-OpenGDPR-Signature`). A failed delivery is retried after each of `retryDelays`, in the
/// background: a request to the API never waits for a callback.
///
/// Statuses change in the API (received, cancelled) and elsewhere: an officer verifies or runs
/// a request in the console or with `dsar request`, maybe in another process. ``check()``
/// compares every watched request with the last status told and tells what changed; ``run()``
/// does it every `interval` until cancelled (run it beside the server).
public actor StatusCallbacks {
    let database: APIDatabase
    let book: RequestBook
    let key: ProcessorKey
    let configuration: OpenDSRConfiguration
    let client: HTTPClient
    let retryDelays: [Duration]
    let logger: Logger
    private var deliveries: [String: Task<Void, Never>] = [:]
    private var recheck: Set<String> = []

    public init(database: APIDatabase, book: RequestBook, key: ProcessorKey, configuration: OpenDSRConfiguration,
                client: HTTPClient = .shared, retryDelays: [Duration] = [.seconds(5), .seconds(30), .seconds(120), .seconds(600)],
                logger: Logger) {
        self.database = database
        self.book = book
        self.key = key
        self.configuration = configuration
        self.client = client
        self.retryDelays = retryDelays
        self.logger = logger
    }

    /// Checks every watched request now and starts the deliveries its change calls for.
    public func check() async {
        do {
            for record in try await database.openDSRRecordsToWatch() { schedule(record.subjectRequestID) }
        } catch {
            logger.warning("status callbacks: the service database could not be read", metadata: ["error": "\(type(of: error))"])
        }
    }

    /// Checks every `interval` until the task is cancelled.
    public func run(every interval: Duration = .seconds(30)) async {
        while !Task.isCancelled {
            await check()
            try? await Task.sleep(for: interval)
        }
    }

    /// Waits until every delivery started so far has succeeded or given up.
    public func waitForDeliveries() async {
        // Each delivery removes itself when done; one started meanwhile is waited for too.
        while let delivery = deliveries.first?.value {
            await delivery.value
        }
    }

    /// Starts telling `subjectRequestID`'s controller its status, if it changed (not awaited).
    func statusMayHaveChanged(_ subjectRequestID: String) {
        schedule(subjectRequestID)
    }

    private func schedule(_ subjectRequestID: String) {
        guard deliveries[subjectRequestID] == nil else {
            // A delivery is under way: look again when it is done, for a change it did not see.
            recheck.insert(subjectRequestID)
            return
        }
        deliveries[subjectRequestID] = Task { await self.deliver(subjectRequestID) }
    }

    private func deliver(_ subjectRequestID: String) async {
        repeat {
            guard let record = try? await database.openDSRRecord(subjectRequestID), !record.callbackURLs.isEmpty else { break }
            await deliverOnce(record)
        } while recheck.remove(subjectRequestID) != nil
        deliveries[subjectRequestID] = nil
    }

    private func deliverOnce(_ record: OpenDSRRecord) async {
        guard let requestID = record.requestID, let request = try? await book.request(requestID) else { return }
        let status = OpenDSRStatus(request)
        guard status != record.notifiedStatus else { return }
        var told = true
        for (index, url) in record.callbackURLs.enumerated() {
            let body = OpenDSRRoutes.StatusBody(controller_id: record.controllerID,
                                                expected_completion_time: OpenDSRRoutes.endOfDay(request.due),
                                                subject_request_id: record.subjectRequestID, request_status: status.rawValue,
                                                api_version: OpenDSRConfiguration.apiVersion, status_callback_url: url)
            told = await send(body, to: url, index: index, requestID: requestID) && told
        }
        if !told {
            logger.error("status callback gave up after \(retryDelays.count + 1) attempts",
                         metadata: ["request": "\(requestID)", "status": "\(status.rawValue)"])
        }
        // Told (or given up on): the next check looks for the next change, not this one again.
        try? await database.markNotified(record.subjectRequestID, status: status)
    }

    private func send(_ body: OpenDSRRoutes.StatusBody, to url: String, index: Int, requestID: String) async -> Bool {
        guard let data = try? JSONEncoder.api.encode(body), let signature = try? key.signature(of: data) else { return false }
        for attempt in 0...retryDelays.count {
            if attempt > 0 { try? await Task.sleep(for: retryDelays[attempt - 1]) }
            var request = HTTPClientRequest(url: url)
            request.method = .POST
            request.headers.add(name: "Content-Type", value: "application/json")
            request.headers.add(name: "X-OpenGDPR-Processor-Domain", value: configuration.processorDomain)
            request.headers.add(name: "X-OpenGDPR-Signature", value: signature)
            request.body = .bytes(ByteBuffer(bytes: data))
            let metadata: Logger.Metadata = ["request": "\(requestID)", "callback": "\(index)", "status": "\(body.request_status)",
                                             "attempt": "\(attempt + 1)"]
            do {
                let response = try await client.execute(request, timeout: .seconds(10))
                _ = try? await response.body.collect(upTo: 64 * 1024)
                if (200..<300).contains(Int(response.status.code)) {
                    logger.info("status callback delivered", metadata: metadata)
                    return true
                }
                logger.warning("status callback refused with HTTP \(response.status.code)", metadata: metadata)
            } catch {
                logger.warning("status callback failed: \(type(of: error))", metadata: metadata)
            }
        }
        return false
    }
}
