import Crypto
import Foundation

extension Ledger {
    var maskingKeyURL: URL { folder.appendingPathComponent("masking.key") }
    /// The Ed25519 private key that signs certificates.
    public var signingKeyURL: URL { folder.appendingPathComponent("signing.key") }
    /// Its public half, to hand to whoever checks certificates.
    public var publicKeyURL: URL { folder.appendingPathComponent("signing.pub") }

    /// The masking key, created (random, readable by the owner only) on first use.
    public func maskingKey() throws -> MaskingKey {
        if let text = try? String(contentsOf: maskingKeyURL, encoding: .utf8),
           let data = Data(base64Encoded: text.trimmingCharacters(in: .whitespacesAndNewlines)), data.count == 32 {
            return MaskingKey(bytes: data)
        }
        let bytes = SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }
        try writeSecret(bytes.base64EncodedString(), to: maskingKeyURL)
        return MaskingKey(bytes: bytes)
    }

    /// Creates the signing key pair. Refuses to replace an existing key unless `replace`.
    @discardableResult
    public func generateSigningKey(replace: Bool = false) throws -> Curve25519.Signing.PublicKey {
        if !replace, FileManager.default.fileExists(atPath: signingKeyURL.path) {
            throw DSARError(.ledgerFailure, "a signing key already exists; certificates signed with it could no longer be checked " +
                            "if it were replaced (pass --force to replace it)", location: signingKeyURL.path)
        }
        let key = Curve25519.Signing.PrivateKey()
        try writeSecret(key.rawRepresentation.base64EncodedString(), to: signingKeyURL)
        try Data((key.publicKey.rawRepresentation.base64EncodedString() + "\n").utf8).write(to: publicKeyURL, options: .atomic)
        return key.publicKey
    }

    /// The signing key; ``DSARError/Code/signingKeyMissing`` until `dsar keys generate` ran.
    public func signingKey() throws -> Curve25519.Signing.PrivateKey {
        guard let text = try? String(contentsOf: signingKeyURL, encoding: .utf8) else {
            throw DSARError(.signingKeyMissing, "there is no signing key for certificates yet; run `dsar keys generate`",
                            location: signingKeyURL.path)
        }
        guard let data = Data(base64Encoded: text.trimmingCharacters(in: .whitespacesAndNewlines)),
              let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: data) else {
            throw DSARError(.signingKeyMissing, "the signing key file is damaged", location: signingKeyURL.path)
        }
        return key
    }

    /// The public key to check certificates with.
    public func publicKey() throws -> Curve25519.Signing.PublicKey {
        try Self.readPublicKey(at: publicKeyURL)
    }

    public static func readPublicKey(at url: URL) throws -> Curve25519.Signing.PublicKey {
        guard let text = try? String(contentsOf: url, encoding: .utf8),
              let data = Data(base64Encoded: text.trimmingCharacters(in: .whitespacesAndNewlines)),
              let key = try? Curve25519.Signing.PublicKey(rawRepresentation: data) else {
            throw DSARError(.signingKeyMissing, "no readable public key; run `dsar keys generate` or pass --public-key",
                            location: url.path)
        }
        return key
    }

    private func writeSecret(_ text: String, to url: URL) throws {
        let created = FileManager.default.createFile(atPath: url.path, contents: Data((text + "\n").utf8),
                                                     attributes: [.posixPermissions: 0o600])
        guard created else { throw DSARError(.ledgerFailure, "a key file could not be written", location: url.path) }
    }
}
