/// A file-name pattern such as `voicemail/{phone}_{received}.wav`: literal text and
/// `{placeholder}`s. A placeholder matches one or more characters other than `/`; literals
/// match themselves. Matching is anchored at both ends.
public struct FilePattern: Sendable, Hashable, CustomStringConvertible {
    public enum Part: Sendable, Hashable {
        case literal(String)
        case placeholder(String)
    }

    public let text: String
    public let parts: [Part]

    /// Parses a pattern. Fails on an unclosed or empty `{}`, two placeholders side by side
    /// (ambiguous), an absolute path or `..`.
    public init(_ text: String) throws(PatternError) {
        var parts: [Part] = []
        var literal = ""
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            if character == "{" {
                guard let close = text[index...].firstIndex(of: "}") else { throw PatternError("unclosed '{'") }
                let name = String(text[text.index(after: index)..<close])
                guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else {
                    throw PatternError("placeholder names are letters, digits and '_'")
                }
                if !literal.isEmpty { parts.append(.literal(literal)); literal = "" }
                if case .placeholder? = parts.last { throw PatternError("two placeholders need literal text between them") }
                parts.append(.placeholder(name))
                index = text.index(after: close)
            } else {
                literal.append(character)
                index = text.index(after: index)
            }
        }
        if !literal.isEmpty { parts.append(.literal(literal)) }
        if text.hasPrefix("/") { throw PatternError("a pattern is relative to the store root; remove the leading '/'") }
        if text.split(separator: "/").contains("..") { throw PatternError("'..' is not allowed in a pattern") }
        if !parts.contains(where: { if case .placeholder = $0 { true } else { false } }) {
            throw PatternError("a pattern needs at least one {placeholder}")
        }
        self.text = text
        self.parts = parts
    }

    public struct PatternError: Error, Sendable, CustomStringConvertible {
        public let description: String
        init(_ description: String) { self.description = description }
    }

    public var description: String { text }

    /// The placeholder names, in order.
    public var placeholders: [String] {
        parts.compactMap { if case .placeholder(let name) = $0 { name } else { nil } }
    }

    /// The fixed folder before the first placeholder (`voicemail`), searched recursively below.
    public var baseFolder: String {
        guard case .literal(let first)? = parts.first, let slash = first.lastIndex(of: "/") else { return "" }
        return String(first[..<slash])
    }

    /// The placeholder values of a path relative to the store root, or `nil` if it does not match.
    public func match(_ path: String) -> [String: String]? {
        var captures: [String: String] = [:]
        return match(parts[...], Substring(path), &captures) ? captures : nil
    }

    private func match(_ parts: ArraySlice<Part>, _ rest: Substring, _ captures: inout [String: String]) -> Bool {
        guard let part = parts.first else { return rest.isEmpty }
        switch part {
        case .literal(let literal):
            guard rest.hasPrefix(literal) else { return false }
            return match(parts.dropFirst(), rest.dropFirst(literal.count), &captures)
        case .placeholder(let name):
            // Try the shortest capture first so `{a}_{b}` splits at the first `_`.
            var end = rest.startIndex
            while end < rest.endIndex {
                if rest[end] == "/" { return false }
                end = rest.index(after: end)
                if match(parts.dropFirst(), rest[end...], &captures) {
                    captures[name] = String(rest[..<end])
                    return true
                }
            }
            return false
        }
    }
}
