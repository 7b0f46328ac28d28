import Crypto
import Foundation

/// The key that seals the audit log: each entry's hash is HMAC-SHA256 under it, and so is
/// the anchor of the newest entry. Someone who can write the ledger but holds none of its
/// key files can edit, cut or recompute the chain, but cannot seal it again.
///
/// It is derived (HKDF-SHA256, a label of its own) from the ledger's masking key, so every
/// process that shares the key folder seals alike, and there is no further file to copy.
public struct AuditKey: Sendable {
    let key: SymmetricKey

    public init(_ maskingKey: MaskingKey) {
        key = HKDF<SHA256>.deriveKey(inputKeyMaterial: maskingKey.key, info: Data("dsarkit audit chain v2".utf8), outputByteCount: 32)
    }

    /// HMAC-SHA256 of `text`, as lower-case hex.
    func seal(_ text: String) -> String {
        HMAC<SHA256>.authenticationCode(for: Data(text.utf8), using: key).hex
    }
}

extension LedgerKeys {
    /// The audit key, from the masking key (created on first use).
    public func auditKey() throws -> AuditKey { AuditKey(try maskingKey()) }

    /// The audit key if the masking key exists; checking never creates keys.
    public func existingAuditKey() throws -> AuditKey? { try existingMaskingKey().map(AuditKey.init) }
}
