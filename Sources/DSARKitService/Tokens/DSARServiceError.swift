/// An error of the service: a code, a message a privacy officer (or an integrator) understands,
/// where it happened, and the cause. Never carries personal data: identifiers are named by their
/// type or field, never by value.
public struct DSARServiceError: Error, Sendable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Wrapped: String, Sendable {
            case storeFailure, invalidToken, keyFailure
        }
        private let wrapped: Wrapped
        private init(_ wrapped: Wrapped) { self.wrapped = wrapped }

        /// The service database could not be opened, read or written.
        public static let storeFailure = Code(.storeFailure)
        /// A token name or scope is not acceptable.
        public static let invalidToken = Code(.invalidToken)
        /// The processor's signing key or certificate could not be made, read or used.
        public static let keyFailure = Code(.keyFailure)

        public var description: String { wrapped.rawValue }
    }

    public var code: Code
    public var message: String
    public var location: String?
    public var cause: (any Error)?

    public init(_ code: Code, _ message: String, location: String? = nil, cause: (any Error)? = nil) {
        self.code = code
        self.message = message
        self.location = location
        self.cause = cause
    }

    public var description: String {
        "\(code): \(message)" + (location.map { " (\($0))" } ?? "")
    }
}
