import Foundation

/// Counts failed sign-ins per account and per address: after `limit` failures within `window`,
/// further attempts are refused (429) until the oldest one leaves the window.
actor SignInLimiter {
    let limit: Int
    let window: TimeInterval
    let now: @Sendable () -> Date
    private var failures: [String: [Date]] = [:]

    init(limit: Int = 5, window: TimeInterval = 15 * 60, now: @escaping @Sendable () -> Date = { Date() }) {
        self.limit = limit
        self.window = window
        self.now = now
    }

    /// Whether an attempt for `keys` (`account:NAME`, `address:IP`) may go ahead.
    func allows(_ keys: [String]) -> Bool {
        let since = now().addingTimeInterval(-window)
        return keys.allSatisfy { key in
            let recent = (failures[key] ?? []).filter { $0 > since }
            failures[key] = recent
            return recent.count < limit
        }
    }

    func recordFailure(_ keys: [String]) {
        let date = now()
        for key in keys { failures[key, default: []].append(date) }
    }
}
