import Crypto
import Foundation

/// The AES-256-GCM key that encrypts a request's identifiers and note at rest. It lives in a
/// file beside the ledger (`requests.key`), never in the database: a copy of the database
/// alone reveals no one.
public struct SealingKey: Sendable {
    let key: SymmetricKey

    public init(bytes: some ContiguousBytes) {
        key = SymmetricKey(data: bytes)
    }

    public static func random() -> SealingKey {
        SealingKey(bytes: SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) })
    }

    /// Nonce, ciphertext and tag in one blob. `context` (the request id) is authenticated, so
    /// a blob moved to another request does not open.
    public func seal(_ text: String, context: String) throws -> Data {
        do {
            guard let combined = try AES.GCM.seal(Data(text.utf8), using: key, authenticating: Data(context.utf8)).combined else {
                throw DSARError(.ledgerFailure, "identifiers could not be encrypted")
            }
            return combined
        } catch let error as DSARError {
            throw error
        } catch {
            throw DSARError(.ledgerFailure, "identifiers could not be encrypted", cause: error)
        }
    }

    public func open(_ blob: Data, context: String) throws -> String {
        do {
            let box = try AES.GCM.SealedBox(combined: blob)
            return String(decoding: try AES.GCM.open(box, using: key, authenticating: Data(context.utf8)), as: UTF8.self)
        } catch {
            throw DSARError(.ledgerFailure, "the identifiers of request \(context.prefix(40)) cannot be decrypted: " +
                            "wrong or replaced requests.key", cause: error)
        }
    }
}

extension SealingKey {
    /// A keyed digest of the key itself: a shared ledger stores it to tell a machine holding
    /// another `requests.key` apart, without the key leaving the machine.
    public var fingerprint: String {
        HMAC<SHA256>.authenticationCode(for: Data("dsarkit requests key fingerprint".utf8), using: key).hex
    }
}

extension LedgerKeys {
    /// `requests.key` in the key folder (beside a SQLite ledger).
    public var sealingKeyURL: URL { folder.appendingPathComponent("requests.key") }

    /// The sealing key, created (random, owner-only) on first use.
    public func sealingKey() throws -> SealingKey {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        try Self.createKeyFileOnce(at: sealingKeyURL, in: folder)
        guard let key = existingSealingKey() else {
            throw DSARError(.ledgerFailure, "the requests key is damaged", location: sealingKeyURL.path)
        }
        return key
    }

    /// The sealing key if its file exists and reads.
    public func existingSealingKey() -> SealingKey? {
        guard let text = try? String(contentsOf: sealingKeyURL, encoding: .utf8),
              let data = Data(base64Encoded: text.trimmingCharacters(in: .whitespacesAndNewlines)), data.count == 32 else { return nil }
        return SealingKey(bytes: data)
    }
}

extension Ledger {
    /// `requests.key` beside the database.
    public var sealingKeyURL: URL { keys.sealingKeyURL }

    /// The sealing key, created (random, owner-only) on first use.
    public func sealingKey() throws -> SealingKey { try keys.sealingKey() }

    func createKeyFileOnce(at url: URL) throws {
        try LedgerKeys.createKeyFileOnce(at: url, in: folder)
    }
}
