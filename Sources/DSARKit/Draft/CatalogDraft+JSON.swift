import Foundation

extension CatalogDraft {
    /// Identifiers inside a JSON column (PostgreSQL `json`/`jsonb`, or text that parses as JSON
    /// objects): every key, down to `maxDepth` levels, whose sampled values look like emails or phone
    /// numbers, named as the catalog reads them (`custom_attributes.mobile`). Keys are written only
    /// when they look like names (`mobile`, `contact_email`), never a key that could be a value.
    static func jsonIdentifiers(column: String, texts: [String], regions: [String]) -> [Identifier] {
        var objects = 0
        var valuesByPath: [[String]: [String?]] = [:]
        for text in texts {
            guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed]) as? [String: Any] else { continue }
            objects += 1
            collect(object, path: [], into: &valuesByPath)
        }
        guard objects > 0, objects * 10 >= texts.count * 8 else { return [] }
        return valuesByPath.keys.sorted { $0.joined(separator: ".") < $1.joined(separator: ".") }.compactMap { path in
            let values = valuesByPath[path] ?? []
            guard let evidence = ColumnEvidence.classify(column: path.last ?? "", values: values, regions: regions) else { return nil }
            let present = values.count == objects ? "every" : "\(ColumnEvidence.grouped(values.count)) of \(ColumnEvidence.grouped(objects))"
            return Identifier(column: ([column] + path).joined(separator: "."), type: evidence.kind.rawValue,
                              evidence: "\(evidence.summary); the key is in \(present) sampled JSON object\(objects == 1 ? "" : "s")",
                              isGuess: false)
        }
    }

    static let maxDepth = 3

    private static func collect(_ object: [String: Any], path: [String], into values: inout [[String]: [String?]]) {
        for (key, value) in object where isKeyName(key) {
            let here = path + [key]
            if let nested = value as? [String: Any] {
                if here.count < maxDepth { collect(nested, path: here, into: &values) }
            } else if value is NSNull {
                continue
            } else {
                values[here, default: []].append(value as? String)
            }
        }
    }

    /// `mobile`, `contact_email`, `phoneNumber`: a letter, then letters, digits, `_` or `-`, at most 64.
    static func isKeyName(_ key: String) -> Bool {
        guard let first = key.first, first.isASCII, first.isLetter, key.count <= 64 else { return false }
        return key.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") }
    }
}
