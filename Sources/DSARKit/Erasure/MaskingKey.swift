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

    /// HMAC-SHA256 of an identifier's `type:value` text.
    public func hmac(_ identifier: SubjectIdentifier) -> String { hmac(identifier.description) }

    /// The masked value of `value` under `strategy`. NULL stays NULL.
    public func mask(_ value: Value, _ strategy: ColumnMask.Strategy) -> Value {
        switch strategy {
        case .null: return .null
        case .redact: return value.isNull ? .null : .text(Self.redaction)
        case .hash: return value.textValue.map { .text(hmac($0)) } ?? .null
        }
    }

    /// Whether `value` is already what `strategy` writes (NULL, `[erased]`, or an HMAC in hex),
    /// so masking it again would change nothing of the person's: a row kept as it is can lead
    /// discovery back to rows an earlier erasure masked.
    public static func isMasked(_ value: Value, _ strategy: ColumnMask.Strategy) -> Bool {
        if value.isNull { return true }
        switch strategy {
        case .null: return false
        case .redact: return value == .text(redaction)
        case .hash:
            guard case .text(let text) = value else { return false }
            return text.utf8.count == 64 && text.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
        }
    }

    /// How many characters `hash` writes (HMAC-SHA256 as hex).
    public static let hashLength = 64

    /// The fixed text `redact` writes.
    public static let redaction = "[erased]"

    /// A digest of a subject's identifiers that names no value: HMAC over the sorted
    /// `type:value` texts.
    public func subjectDigest(_ identifiers: [String]) -> String {
        "hmac-sha256:" + hmac(identifiers.sorted().joined(separator: "\n"))
    }
}

extension Sequence where Element == UInt8 {
    var hex: String {
        let digits = Array("0123456789abcdef".utf8)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(underestimatedCount * 2)
        for byte in self {
            bytes.append(digits[Int(byte >> 4)])
            bytes.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

extension Record {
    /// A digest of every column and value, to notice a change without keeping the data.
    var digest: String {
        var hasher = SHA256()
        feed(into: &hasher)
        return hasher.finalize().prefix(16).hex
    }

    /// Feeds every column and value, unambiguously separated, into `hasher`.
    func feed(into hasher: inout SHA256) {
        func text(_ string: String) {
            var string = string
            string.withUTF8 { hasher.update(bufferPointer: UnsafeRawBufferPointer($0)) }
        }
        for (column, value) in zip(columns, values) {
            text(column)
            text("\u{1f}")
            switch value {
            case .null: text("N")
            case .integer(let int): text("I\(int)")
            case .real(let double): text("R\(double)")
            case .text(let string): text("T"); text(string)
            case .blob(let data): text("B"); hasher.update(data: data)
            }
            text("\u{1e}")
        }
    }
}
