import Foundation

/// A JSON document held as text (a `jsonb` column, a SQLite `JSON` column).
enum JSONText {
    /// `text` without the whitespace between its tokens when it is valid JSON (an object, an
    /// array or a scalar); `nil` when it is not. Strings and numbers are kept byte for byte, so
    /// a number inside keeps every digit.
    static func compacted(_ text: String) -> String? {
        let data = Data(text.utf8)
        guard (try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])) != nil else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(data.count)
        var inString = false
        var escaped = false
        for byte in data {
            if inString {
                if escaped { escaped = false } else if byte == UInt8(ascii: "\\") { escaped = true } else if byte == UInt8(ascii: "\"") { inString = false }
            } else if byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D {
                continue
            } else if byte == UInt8(ascii: "\"") {
                inString = true
            }
            out.append(byte)
        }
        return String(decoding: out, as: UTF8.self)
    }
}
