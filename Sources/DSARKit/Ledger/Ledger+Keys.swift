import Crypto
import Foundation

extension Ledger {
    var maskingKeyURL: URL { keys.maskingKeyURL }
    /// The Ed25519 private key that signs certificates.
    public var signingKeyURL: URL { keys.signingKeyURL }
    /// Its public half, to hand to whoever checks certificates.
    public var publicKeyURL: URL { keys.publicKeyURL }

    /// The masking key, created (random, readable by the owner only) on first use.
    public func maskingKey() throws -> MaskingKey { try keys.maskingKey() }

    /// Creates the signing key pair. Refuses to replace an existing key unless `replace`.
    @discardableResult
    public func generateSigningKey(replace: Bool = false) throws -> Curve25519.Signing.PublicKey {
        try keys.generateSigningKey(replace: replace)
    }

    /// The signing key; ``DSARError/Code/signingKeyMissing`` until `dsar keys generate` ran.
    public func signingKey() throws -> Curve25519.Signing.PrivateKey { try keys.signingKey() }

    /// The public key to check certificates with.
    public func publicKey() throws -> Curve25519.Signing.PublicKey { try Self.readPublicKey(at: publicKeyURL) }

    public static func readPublicKey(at url: URL) throws -> Curve25519.Signing.PublicKey {
        guard let text = try? String(contentsOf: url, encoding: .utf8),
              let data = Data(base64Encoded: text.trimmingCharacters(in: .whitespacesAndNewlines)),
              let key = try? Curve25519.Signing.PublicKey(rawRepresentation: data) else {
            throw DSARError(.signingKeyMissing, "no readable public key; run `dsar keys generate` or pass --public-key",
                            location: url.path)
        }
        return key
    }
}
