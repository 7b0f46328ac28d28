import Crypto
import Foundation

/// Where integration tokens live. ``SQLiteIntegrationTokens`` keeps them in the service file;
/// any other store (a secrets manager) can stand in.
///
/// A token is 32 random bytes: guessing one is hopeless, so its SHA-256 is enough to store (a
/// slow hash such as bcrypt protects low-entropy passwords, not random keys) and lookups go by
/// that digest.
public protocol IntegrationTokens: Sendable {
    /// Issues a token for `name` (letters, digits, `-`, `_`, `.`; one active token per name).
    func add(name: String, scope: TokenScope) async throws -> IssuedToken
    /// The active token whose secret is `secret`, or `nil` (unknown or revoked).
    func token(presenting secret: String) async throws -> IntegrationToken?
    /// Every token, revoked ones too, oldest first.
    func list() async throws -> [IntegrationToken]
    /// Revokes the active token of `name`; `false` when there is none.
    func revoke(name: String) async throws -> Bool
}

extension IntegrationTokens {
    /// A new secret: `dsar_` and 32 random bytes in base64url, without padding.
    public static func newSecret() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return "dsar_" + Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// The stored form of a secret: its SHA-256 in hex.
    public static func digest(of secret: String) -> String {
        SHA256.hash(data: Data(secret.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// Checks a token name: 1 to 64 characters, letters, digits, `-`, `_`, `.`.
    public static func validName(_ name: String) throws -> String {
        let allowed = name.unicodeScalars.allSatisfy {
            ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) || "-_.".unicodeScalars.contains($0)
        }
        guard !name.isEmpty, name.count <= 64, allowed else {
            throw DSARServiceError(.invalidToken, "a token name is 1 to 64 letters, digits, '-', '_' or '.'")
        }
        return name
    }
}
