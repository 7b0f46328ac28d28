/// A file path generalized into a pattern for a draft: dated folders (`2026/03/02`) become
/// `{year}/{month}/{day}`, numbered folders and numbers `{folder1}`, `{n1}`, compact dates
/// `{date}`, phone numbers `{phone}` and email addresses `{email}`; literal text stays, unless
/// `redacting` (the names of files from one number only, which could name their person). Never
/// keeps a phone number or an address.
struct FileNameShape: Hashable, Sendable {
    /// The pattern, such as `voicemail/{folder1}/{phone}-{date}.wav`.
    var pattern: String
    /// The phone numbers found in the name, normalized (only counted by callers, never written).
    var phones: [String]
    /// The email addresses found in the name, normalized (only counted, never written).
    var emails: [String] = []

    init(path: String, phone: IdentifierType, redacting: Bool = false) {
        var components = path.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        let name = components.removeLast()
        var out: [String] = []
        var counters: [String: Int] = [:]
        func placeholder(_ kind: String) -> String {
            counters[kind, default: 0] += 1
            let count = counters[kind]!
            return kind == "phone" || kind == "email" || kind == "date" ? "{\(kind)\(count == 1 ? "" : String(count))}" : "{\(kind)\(count)}"
        }
        var index = 0
        while index < components.count {
            if index + 2 < components.count, Self.isYear(components[index]), Self.isTwoDigits(components[index + 1], max: 12),
               Self.isTwoDigits(components[index + 2], max: 31) {
                out += ["{year}", "{month}", "{day}"]
                index += 3
                continue
            }
            out.append(components[index].allSatisfy(\.isNumber) ? placeholder("folder") : components[index])
            index += 1
        }
        var stem = Substring(name)
        var ext = ""
        if let dot = name.lastIndex(of: "."), name.index(after: dot) < name.endIndex,
           name[name.index(after: dot)...].allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }),
           name[name.index(after: dot)...].contains(where: \.isLetter) {
            ext = String(name[dot...])
            stem = name[..<dot]
        }
        var written = ""
        var phones: [String] = []
        var emails: [String] = []
        let email = IdentifierType(name: "email", kind: .email)
        for (token, isSeparator) in Self.tokens(stem) {
            if isSeparator {
                written += token
            } else if token.contains("@") {
                if let normalized = email.normalize(token) {
                    emails.append(normalized)
                    written += placeholder("email")
                } else {
                    written += placeholder("text")
                }
            } else if token.count >= 8, !ColumnEvidence.looksLikeCompactDate(token), !ColumnEvidence.looksLikeDate(token),
                      token.filter(\.isNumber).count >= 8, let normalized = phone.normalize(token) {
                phones.append(normalized)
                written += placeholder("phone")
            } else if token.allSatisfy(\.isNumber) {
                written += ColumnEvidence.looksLikeCompactDate(token) ? placeholder("date") : placeholder("n")
            } else if let digits = token.firstIndex(where: \.isNumber), token[..<digits].allSatisfy(\.isLetter),
                      token[digits...].allSatisfy(\.isNumber) {
                written += (redacting ? placeholder("text") : String(token[..<digits])) + placeholder("n")
            } else {
                written += redacting ? placeholder("text") : token
            }
        }
        out.append(written + ext)
        pattern = out.joined(separator: "/")
        self.phones = phones
        self.emails = emails
    }

    /// Runs of separators (`-`, `_`, `.`, space, `+` kept with a number) and of other characters;
    /// a run between `_`, space, `,`, `(`, `)` or `=` holding an `@` is one token (an email address).
    static func tokens(_ text: Substring) -> [(String, Bool)] {
        var tokens: [(String, Bool)] = []
        var chunk = ""
        for character in text + "_" {
            if "_ ,()=".contains(character) {
                tokens += chunk.contains("@") ? [(chunk, false)] : splitTokens(Substring(chunk))
                chunk = ""
                if let last = tokens.last, last.1 { tokens[tokens.count - 1].0.append(character) } else { tokens.append((String(character), true)) }
            } else {
                chunk.append(character)
            }
        }
        tokens[tokens.count - 1].0.removeLast()
        if tokens[tokens.count - 1].0.isEmpty { tokens.removeLast() }
        return tokens
    }

    private static func splitTokens(_ text: Substring) -> [(String, Bool)] {
        var tokens: [(String, Bool)] = []
        for character in text {
            let separator = "-_. ,()=".contains(character)
            if let last = tokens.last, last.1 == separator {
                tokens[tokens.count - 1].0.append(character)
            } else {
                tokens.append((String(character), separator))
            }
        }
        return tokens
    }

    static func isYear(_ text: String) -> Bool {
        text.count == 4 && text.allSatisfy(\.isNumber) && (text.hasPrefix("19") || text.hasPrefix("20"))
    }

    static func isTwoDigits(_ text: String, max: Int) -> Bool {
        text.count == 2 && text.allSatisfy(\.isNumber) && (1...max).contains(Int(text) ?? 0)
    }
}
