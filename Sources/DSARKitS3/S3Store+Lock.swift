import DSARKit
import Foundation

extension S3Store: VersionedFileStore {
    /// Versions and delete markers of the object, on a bucket with versioning.
    public func versionCount(at path: String) async throws -> Int? {
        let key = try objectKey(path)
        guard try await isVersioned() else { return nil }
        return try await versions(of: key).count
    }
}

extension S3Store: LockingFileStore {
    /// The Object Lock on any version of the object: a legal hold, or a retention date still
    /// ahead. Object Lock needs versioning and is enabled per bucket, so a bucket without
    /// versions, or without Object Lock, has none, and its objects are not asked one by one
    /// (two requests for the whole bucket instead of two or more per recording). Governance
    /// retention is never bypassed: a lock is a hold.
    public func lock(on path: String) async throws -> FileLock? {
        let key = try objectKey(path)
        guard try await isVersioned(), try await mayLockObjects() else { return nil }
        var legalHold = false
        var until: (date: Date, text: String)?
        var mode = ""
        for version in try await versions(of: key) where !version.isDeleteMarker {
            let response = try await client.send(.HEAD, key: key, query: [("versionId", version.id)])
            switch response.status.code {
            case 200: break
            case 404: continue
            default: throw await client.failure(response, doing: "reading an object's lock")
            }
            if response.headers.first(name: "x-amz-object-lock-legal-hold")?.uppercased() == "ON" { legalHold = true }
            if let text = response.headers.first(name: "x-amz-object-lock-retain-until-date"), let date = Self.parseDate(text),
               date > Date(), date > (until?.date ?? .distantPast) {
                until = (date, text)
                mode = response.headers.first(name: "x-amz-object-lock-mode") ?? ""
            }
        }
        if legalHold {
            return FileLock(reason: "S3 Object Lock: legal hold", until: until.map { Self.day($0.date) }, isLegalHold: true)
        }
        if let until {
            return FileLock(reason: "S3 Object Lock: retention" + (mode.isEmpty ? "" : " (\(mode.lowercased()) mode)"), until: Self.day(until.date))
        }
        return nil
    }

    /// Whether the bucket's objects may be locked: `false` only when the bucket says it has no
    /// Object Lock configuration (or the server implements none); when the configuration cannot
    /// be read (no `s3:GetBucketObjectLockConfiguration` permission) every object is asked.
    func mayLockObjects() async throws -> Bool {
        if let known = objectLock.withLock({ $0 }) { return known }
        let response = try await client.send(.GET, key: nil, query: [("object-lock", "")])
        let mayLock: Bool
        switch response.status.code {
        case 200:
            mayLock = true
        case 501:
            mayLock = false
        case 404:
            let code = S3XML.parse(try await client.document(response)).first("Code")
            guard code == "ObjectLockConfigurationNotFoundError" else {
                throw DSARError(.storeUnavailable, "s3 store '\(name)': bucket '\(configuration.bucket)' does not exist (HTTP 404\(code.map { ", \($0)" } ?? ""))",
                                location: client.location)
            }
            mayLock = false
        case 403:
            logger.debug("cannot read the bucket's Object Lock configuration; asking each object", metadata: ["store": "\(name)"])
            mayLock = true
        default:
            throw await client.failure(response, doing: "asking whether the bucket locks objects")
        }
        objectLock.withLock { $0 = mayLock }
        return mayLock
    }

    /// `2027-03-01T00:00:00Z` or with fractional seconds, as servers send retain-until dates.
    static func parseDate(_ text: String) -> Date? {
        let plain = ISO8601DateFormatter()
        if let date = plain.date(from: text) { return date }
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return fractional.date(from: text)
    }

    static func day(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withFullDate]
        return formatter.string(from: date)
    }
}
