import DSARKit
import Foundation
import HummingbirdBcrypt

/// Creates officers: a random first password, shown once, stored as a bcrypt hash.
public enum OfficerAccounts {
    /// The bcrypt cost of stored passwords.
    public static let cost: UInt8 = 12

    /// Adds `name` to `directory` and returns the first password (20 characters), to show once.
    public static func add(_ name: String, to directory: any OfficerDirectory, now: Date = Date()) async throws -> String {
        guard Officer.isValidName(name) else {
            throw DSARError(.invalidRequest, "an officer's name is 1 to 64 letters, digits, dots, dashes or underscores")
        }
        let password = SecretToken.password()
        try await directory.add(Officer(name: name, passwordHash: Bcrypt.hash(password, cost: cost), createdAt: now))
        return password
    }
}
