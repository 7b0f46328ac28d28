import Foundation
import Synchronization

/// The `extract:` expressions of identifier columns, compiled once each: a lookup that scans
/// a table applies one to every row.
enum ExtractExpressions {
    private static let cache = Mutex<[String: NSRegularExpression]>([:])

    /// The compiled expression, or `nil` when `pattern` is not a regular expression with a group.
    static func compiled(_ pattern: String) -> NSRegularExpression? {
        if let cached = cache.withLock({ $0[pattern] }) { return cached }
        guard let expression = try? NSRegularExpression(pattern: pattern), expression.numberOfCaptureGroups >= 1 else { return nil }
        cache.withLock { $0[pattern] = expression }
        return expression
    }
}
