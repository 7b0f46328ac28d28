import DSARKit
import Foundation

/// What every ``ErasureLedger`` driver must show, through the journal's rules that
/// ``Erasure`` uses: runs begun, steps marked, re-planned, finished and abandoned; unfinished
/// runs oldest first; plans read back with every identifier; an audit log that chains, and
/// whose tampering is detected; and, for a ledger with an erasure lock or run locks, one
/// holder at a time (of the ledger; of a run and of each identifier of its subject).
///
/// `makeLedger` is called once per check and must return a fresh, empty ledger whose keys
/// exist (a masking key; the audit key derives from it). `tamper`, when the ledger lets a test
/// reach its storage, changes one stored audit entry's detail behind the ledger's back.
///
/// ```swift
/// let failures = await LedgerConformance { InMemoryLedger(keys: LedgerKeys(folder: try temporaryFolder())) }.run()
/// #expect(failures.isEmpty, "\(failures)")
/// ```
public struct LedgerConformance: Sendable {
    private let makeLedger: @Sendable () async throws -> any ErasureLedger
    private let tamper: (@Sendable (any ErasureLedger) async throws -> Void)?

    public init(tamper: (@Sendable (any ErasureLedger) async throws -> Void)? = nil,
                makeLedger: @escaping @Sendable () async throws -> any ErasureLedger) {
        self.tamper = tamper
        self.makeLedger = makeLedger
    }

    public func run() async -> [ConformanceFailure] {
        var log = ConformanceLog()
        for check in checks {
            do {
                let ledger = try await makeLedger()
                try await check.body(ledger, &log)
            } catch {
                log.record(error, check.name)
            }
        }
        return log.failures
    }

    struct Check: Sendable {
        let name: String
        let body: @Sendable (any ErasureLedger, inout ConformanceLog) async throws -> Void
    }

    var checks: [Check] {
        var checks = journalChecks + closingChecks + auditChecks
        if let tamper {
            checks.append(Check(name: "tampering with a stored entry is detected") { ledger, log in
                for number in 1...3 { try await ledger.audit("test.entry", runID: nil, detail: "entry \(number)", at: Self.date(number)) }
                try await tamper(ledger)
                log.expect(!(try await ledger.checkAudit().isIntact), "tampering with a stored entry is detected", "checkAudit says intact")
            })
        }
        checks.append(Check(name: "the erasure lock has one holder at a time", body: Self.lockCheck))
        checks.append(Check(name: "a run lock has one holder per run and per subject", body: Self.runLockCheck))
        return checks
    }

    // MARK: Fixtures

    /// A plan of `steps` file-removal steps, its identifiers including a value with a colon.
    public static func plan(_ id: RunID, steps: Int, firstStep: Int = 0) throws -> ErasurePlan {
        let stepsJSON = (firstStep..<(firstStep + steps)).map { index in
            #"{"index":\#(index),"collection":"recordings","store":"audio","action":{"removeFile":{"path":"calls/\#(index).wav","size":4}},"rowDigests":[]}"#
        }.joined(separator: ",")
        let json = """
            {"requestID":\(try String(decoding: JSONEncoder().encode(id.rawValue), as: UTF8.self)),"createdAt":"2026-11-30T10:00:00Z",
             "requested":["email:amel.benali@example.tn"],
             "identifiers":["customer_id:C:1042","email:amel.benali@example.tn","phone:+21698123456"],
             "collections":[],"steps":[\(stepsJSON)],"conflicts":[],"ambiguous":[]}
            """
        return try JSONDecoder().decode(ErasurePlan.self, from: Data(json.utf8))
    }

    static func date(_ offset: Int) -> Date { Date(timeIntervalSince1970: 1_800_000_000 + TimeInterval(offset)) }

    static func events(_ ledger: any ErasureLedger, _ id: RunID) async throws -> [String] {
        try await ledger.auditEntries().filter { $0.runID == id.rawValue }.map(\.event)
    }

    /// Whether `body` throws a ``DSARError``, and the audit log is unchanged by it.
    static func refused(_ ledger: any ErasureLedger, _ body: () async throws -> Void) async throws -> Bool {
        let before = try await ledger.auditEntries().count
        do {
            try await body()
            return false
        } catch is DSARError {
            return try await ledger.auditEntries().count == before
        }
    }
}
