import Crypto
import Foundation

/// The secret behind `hash` masking and the subject digest of certificates: HMAC-SHA256,
/// so the same value always masks the same way and cannot be reversed without the key.
/// The ``Ledger`` keeps it in a file beside its database.
public struct MaskingKey: Sendable {
    let key: SymmetricKey

    public init(bytes: some ContiguousBytes) {
        key = SymmetricKey(data: bytes)
    }

    /// A new random 256-bit key.
    public static func random() -> MaskingKey {
        MaskingKey(bytes: SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) })
    }

    /// HMAC-SHA256 of `text`, as lower-case hex.
    public func hmac(_ text: String) -> String {
        HMAC<SHA256>.authenticationCode(for: Data(text.utf8), using: key).hex
    }

    /// The masked value of `value` under `strategy`. NULL stays NULL.
    public func mask(_ value: Value, _ strategy: ColumnMask.Strategy) -> Value {
        switch strategy {
        case .null: return .null
        case .redact: return value.isNull ? .null : .text(Self.redaction)
        case .hash: return value.textValue.map { .text(hmac($0)) } ?? .null
        }
    }

    /// The fixed text `redact` writes.
    public static let redaction = "[erased]"

    /// A digest of a subject's identifiers that names no value: HMAC over the sorted
    /// `type:value` texts.
    public func subjectDigest(_ identifiers: [String]) -> String {
        "hmac-sha256:" + hmac(identifiers.sorted().joined(separator: "\n"))
    }
}

extension Sequence where Element == UInt8 {
    var hex: String { map { String(format: "%02x", $0) }.joined() }
}

extension Record {
    /// A digest of every column and value, to notice a change without keeping the data.
    var digest: String {
        var hasher = SHA256()
        for (column, value) in zip(columns, values) {
            hasher.update(data: Data(column.utf8))
            hasher.update(data: Data([0x1f]))
            switch value {
            case .null: hasher.update(data: Data("N".utf8))
            case .integer(let int): hasher.update(data: Data("I\(int)".utf8))
            case .real(let double): hasher.update(data: Data("R\(double)".utf8))
            case .text(let text): hasher.update(data: Data("T".utf8)); hasher.update(data: Data(text.utf8))
            case .blob(let data): hasher.update(data: Data("B".utf8)); hasher.update(data: data)
            }
            hasher.update(data: Data([0x1e]))
        }
        return hasher.finalize().prefix(16).hex
    }
}
