import Testing

/// A test argument holding a fixture identifier, shown in the test output by its label only, so
/// that no identifier (even an invented one) is printed by the test run.
struct Masked: CustomTestStringConvertible, Sendable {
    let value: String
    let label: String

    init(_ value: String, _ label: String) {
        self.value = value
        self.label = label
    }

    var testDescription: String { label }
}
