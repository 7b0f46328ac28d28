import Foundation

/// The secret that encrypts a zip package (AES-256). Its `description` is redacted so it never
/// reaches a log line or an error message; read ``value`` where it must be shown once.
public struct Passphrase: Sendable, Hashable, CustomStringConvertible {
    /// The passphrase itself.
    public let value: String

    /// The shortest passphrase accepted from a file.
    public static let minimumLength = 12

    /// Wraps `value`, refusing one that is too short or has control characters.
    public init(_ value: String) throws {
        guard value.count >= Self.minimumLength else {
            throw DSARError(.invalidRequest, "the passphrase is shorter than \(Self.minimumLength) characters")
        }
        guard !value.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw DSARError(.invalidRequest, "the passphrase contains control characters (a tab or a line break inside it)")
        }
        self.value = value
    }

    /// Reads a passphrase file: its first line, without the line break.
    public init(contentsOf url: URL) throws {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw DSARError(.invalidRequest, "the passphrase file could not be read", location: url.lastPathComponent, cause: error)
        }
        let text = String(decoding: data, as: UTF8.self)
        let firstLine = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).first.map(String.init) ?? ""
        try self.init(firstLine)
    }

    /// A fresh random passphrase: 28 characters in 7 groups of 4 from an alphabet without look-alike
    /// characters (140 bits), easy to read out on the phone: `k7dq-2vmx-…`.
    public static func generate() -> Passphrase {
        var generator = SystemRandomNumberGenerator()
        return generate(using: &generator)
    }

    /// A passphrase drawn from `generator` (tests pass a seeded one).
    public static func generate<G: RandomNumberGenerator>(using generator: inout G) -> Passphrase {
        let alphabet = Array("abcdefghijkmnpqrstuvwxyz23456789")
        let groups = (0..<7).map { _ in
            String((0..<4).map { _ in alphabet[Int(generator.next(upperBound: UInt32(alphabet.count)))] })
        }
        // swiftlint:disable:next force_try
        return try! Passphrase(groups.joined(separator: "-"))
    }

    public var description: String { "<passphrase>" }
}
