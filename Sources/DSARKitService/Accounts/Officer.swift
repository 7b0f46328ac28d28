import Foundation

/// A privacy officer who signs in to the console: a name and a bcrypt hash of the password.
public struct Officer: Sendable, Hashable {
    /// `amel`, `j.dupont`: 1 to 64 letters, digits, dots, dashes or underscores.
    public var name: String
    /// `$2b$12$…`: the password is never stored.
    public var passwordHash: String
    public var createdAt: Date

    public init(name: String, passwordHash: String, createdAt: Date) {
        self.name = name
        self.passwordHash = passwordHash
        self.createdAt = createdAt
    }

    /// Whether `name` is a valid officer name.
    public static func isValidName(_ name: String) -> Bool {
        (1...64).contains(name.count) && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) }
    }
}
