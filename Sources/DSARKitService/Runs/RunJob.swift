import DSARKit
import Foundation

/// A console run (a package written, an erasure executed) as the officer follows it: what it
/// is, who started it, where it stands, in counts only.
public struct RunJob: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable {
        case package, erasure
    }

    public enum State: String, Sendable, Hashable {
        /// Waiting for the queue to take it.
        case queued
        case running
        case finished
        /// Stopped by an error; ``RunJob/failure`` says which (a code and a message, never personal data).
        case failed
        /// Stopped by a server stop. An erasure is finished by running the request again: its
        /// own interrupted run is resumed first (``DSARKit/RequestRun/erase(_:override:)``).
        case interrupted
    }

    public var requestID: String
    public var kind: Kind
    /// The officer's account name.
    public var officer: String
    public var state: State
    /// What the run is doing: `discovering`, `packaging`, `erasing`.
    public var phase: String
    /// How far it is, of ``total`` (bytes while packaging, steps while erasing); `total` 0 when unknown.
    public var done: Int64
    public var total: Int64
    public var failure: String?
    public var startedAt: Date

    public var isActive: Bool { state == .queued || state == .running }
}

/// What a finished run produced, kept in memory for the officer who started it.
public enum RunOutcome: Sendable {
    /// The package is waiting behind the single-use link `download`; `passphrase` is shown once.
    case package(PackageSummary, download: String, passphrase: Passphrase?)
    case erasure(ErasureOutcome)
}
