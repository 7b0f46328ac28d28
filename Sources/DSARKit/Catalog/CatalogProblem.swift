/// One thing wrong (or worth a warning) in a catalog, with its place and how to fix it.
public struct CatalogProblem: Sendable, Hashable, CustomStringConvertible {
    public enum Severity: String, Sendable, Hashable { case error, warning }

    public var severity: Severity
    /// `dsar.yaml:31:5`, or `crm/customers` for a problem found in a store.
    public var place: String
    public var message: String
    /// What to change.
    public var fix: String?

    public init(_ severity: Severity, place: String, _ message: String, fix: String? = nil) {
        self.severity = severity
        self.place = place
        self.message = message
        self.fix = fix
    }

    public var description: String {
        "\(place): \(severity): \(message)" + (fix.map { " (\($0))" } ?? "")
    }
}

/// The catalog could not be used; every problem is listed with its place.
public struct CatalogError: Error, Sendable, CustomStringConvertible {
    public let code: DSARError.Code = .invalidCatalog
    public var problems: [CatalogProblem]

    public init(problems: [CatalogProblem]) { self.problems = problems }

    public var description: String {
        let errors = problems.filter { $0.severity == .error }
        return errors.map(\.description).joined(separator: "\n")
    }
}
