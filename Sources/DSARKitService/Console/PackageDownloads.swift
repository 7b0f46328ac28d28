import Foundation

/// Access packages waiting for their download: a random link, valid once and for a limited
/// time. The file is deleted when it is fetched, and when its link expires.
actor PackageDownloads {
    struct Waiting {
        var file: URL
        var name: String
        var requestID: String
        var expiresAt: Date
    }

    let lifetime: TimeInterval
    let now: @Sendable () -> Date
    private var waiting: [String: Waiting] = [:]

    init(lifetime: TimeInterval, now: @escaping @Sendable () -> Date) {
        self.lifetime = lifetime
        self.now = now
    }

    /// A new link token for `file` (kept by its SHA-256 only).
    func issue(_ file: URL, name: String, requestID: String) -> String {
        dropExpired()
        let token = SecretToken.make()
        waiting[SecretToken.hash(token)] = Waiting(file: file, name: name, requestID: requestID, expiresAt: now().addingTimeInterval(lifetime))
        return token
    }

    /// The package's bytes, once: the link is spent and the file deleted. `nil` for an unknown,
    /// spent or expired link.
    func take(_ token: String) -> (name: String, requestID: String, data: Data)? {
        dropExpired()
        guard let entry = waiting.removeValue(forKey: SecretToken.hash(token)) else { return nil }
        defer { try? FileManager.default.removeItem(at: entry.file) }
        guard let data = try? Data(contentsOf: entry.file) else { return nil }
        return (entry.name, entry.requestID, data)
    }

    private func dropExpired() {
        let date = now()
        for (key, entry) in waiting where entry.expiresAt <= date {
            try? FileManager.default.removeItem(at: entry.file)
            waiting[key] = nil
        }
    }
}
