/// One way a store fails the conformance suite: the check's name and what went wrong.
public struct ConformanceFailure: Error, Sendable, CustomStringConvertible {
    public let check: String
    public let message: String

    public init(check: String, message: String) {
        self.check = check
        self.message = message
    }

    public var description: String { "\(check): \(message)" }
}

/// Collects failures while a suite runs.
struct ConformanceLog {
    var failures: [ConformanceFailure] = []

    mutating func expect(_ condition: Bool, _ check: String, _ message: @autoclosure () -> String) {
        if !condition { failures.append(ConformanceFailure(check: check, message: message())) }
    }

    mutating func record(_ error: any Error, _ check: String) {
        failures.append(ConformanceFailure(check: check, message: "threw \(error)"))
    }
}
