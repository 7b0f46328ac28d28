import Crypto
import Foundation

/// The key files of a ledger, in one local folder: `masking.key` (for `hash` masking and
/// subject digests), `signing.key` and `signing.pub` (certificates).
///
/// The SQLite ``Ledger`` keeps them beside its database. A shared ledger keeps them out of
/// the shared database: every worker machine holds the same files (copy the folder).
public struct LedgerKeys: Sendable {
    public let folder: URL

    public init(folder: URL) { self.folder = folder }

    /// The key folder of `catalog`'s ledger: beside the SQLite ledger, or for a shared
    /// ledger the `ledgerKeys:` folder (default `.dsar` beside the catalog).
    public init(for catalog: Catalog) {
        if catalog.hasPostgresLedger {
            folder = StoreSet.resolve(catalog.ledgerSettings["keys"] ?? ".dsar", against: catalog.baseDirectory)
        } else {
            folder = Ledger.defaultURL(for: catalog).deletingLastPathComponent()
        }
    }

    var maskingKeyURL: URL { folder.appendingPathComponent("masking.key") }
    /// The Ed25519 private key that signs certificates.
    public var signingKeyURL: URL { folder.appendingPathComponent("signing.key") }
    /// Its public half, to hand to whoever checks certificates.
    public var publicKeyURL: URL { folder.appendingPathComponent("signing.pub") }

    /// The masking key, created (random, readable by the owner only) on first use.
    public func maskingKey() throws -> MaskingKey {
        if let key = try existingMaskingKey() { return key }
        try makeFolder()
        // Processes starting together (workers, request commands) must all end up with one key.
        try Self.createKeyFileOnce(at: maskingKeyURL, in: folder)
        guard let key = try existingMaskingKey() else {
            throw DSARError(.ledgerFailure, "the masking key file is damaged", location: maskingKeyURL.path)
        }
        return key
    }

    /// Creates a random 256-bit key file (base64, owner-only) unless one exists. The file is
    /// written aside and hard-linked into place, and link(2) fails when the name exists: of
    /// processes starting together, the first one's key wins and every other reads it.
    static func createKeyFileOnce(at url: URL, in folder: URL) throws {
        guard !FileManager.default.fileExists(atPath: url.path) else { return }
        let bytes = SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }
        let temporary = folder.appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString)")
        do {
            try PrivateFile.create(Data((bytes.base64EncodedString() + "\n").utf8), at: temporary)
        } catch {
            throw DSARError(.ledgerFailure, "a key file could not be written", location: url.path, cause: error)
        }
        _ = link(temporary.path, url.path)
        try? FileManager.default.removeItem(at: temporary)
    }

    /// Creates the folder owner-only; the default `.dsar` is narrowed if it existed wider.
    private func makeFolder() throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        if folder.lastPathComponent == ".dsar" { PrivateFile.restrictFolder(folder) }
    }

    /// The masking key if its file exists.
    public func existingMaskingKey() throws -> MaskingKey? {
        guard let text = try? String(contentsOf: maskingKeyURL, encoding: .utf8),
              let data = Data(base64Encoded: text.trimmingCharacters(in: .whitespacesAndNewlines)), data.count == 32 else { return nil }
        return MaskingKey(bytes: data)
    }

    /// Creates the signing key pair. Refuses to replace an existing key unless `replace`.
    @discardableResult
    public func generateSigningKey(replace: Bool = false) throws -> Curve25519.Signing.PublicKey {
        if !replace, FileManager.default.fileExists(atPath: signingKeyURL.path) {
            throw DSARError(.ledgerFailure, "a signing key already exists; certificates signed with it could no longer be checked " +
                            "if it were replaced (pass --force to replace it)", location: signingKeyURL.path)
        }
        try makeFolder()
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
        try Ledger.readPublicKey(at: publicKeyURL)
    }

    private func writeSecret(_ text: String, to url: URL) throws {
        do {
            try PrivateFile.write(Data((text + "\n").utf8), to: url)
        } catch {
            throw DSARError(.ledgerFailure, "a key file could not be written", location: url.path, cause: error)
        }
    }
}
