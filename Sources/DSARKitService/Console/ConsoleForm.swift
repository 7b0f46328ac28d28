import Foundation
import Hummingbird

/// An `application/x-www-form-urlencoded` body, read with a size limit.
enum ConsoleForm {
    /// The fields, or `nil` when the body is larger than ``Console/maxFormBytes``.
    static func read(_ request: Request) async throws -> [String: String]? {
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: Console.maxFormBytes)
        } catch {
            return nil
        }
        return parse(String(buffer: buffer))
    }

    static func parse(_ body: String) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in body.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = decode(parts[0])
            if fields[name] == nil { fields[name] = parts.count > 1 ? decode(parts[1]) : "" }
        }
        return fields
    }

    static func decode(_ text: Substring) -> String {
        String(text).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? ""
    }

    /// Compares two tokens in time independent of where they differ.
    static func same(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count, !x.isEmpty else { return false }
        return zip(x, y).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
