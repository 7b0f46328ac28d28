import DSARKit
import Foundation

/// What removing one object did.
public struct S3Removal: Sendable, Hashable {
    /// Object versions deleted (1 on a bucket without versioning, when the object was there).
    public var versions: Int = 0
    /// Delete markers deleted (versioned buckets only).
    public var deleteMarkers: Int = 0

    public init(versions: Int = 0, deleteMarkers: Int = 0) {
        self.versions = versions
        self.deleteMarkers = deleteMarkers
    }

    public var isEmpty: Bool { versions == 0 && deleteMarkers == 0 }
}

extension S3Store: ErasableFileStore {
    /// Removes the object and, on a versioned bucket, every version and delete marker of it,
    /// then lists its versions again: an older version left behind is an error, never "removed".
    @discardableResult
    public func removeFile(at path: String) async throws -> Bool {
        !(try await removeObject(at: path)).isEmpty
    }

    /// ``removeFile(at:)``, saying how many versions and delete markers went.
    public func removeObject(at path: String) async throws -> S3Removal {
        let key = try objectKey(path)
        defer { listings.invalidate() }
        guard try await isVersioned() else {
            guard try await file(at: path) != nil else { return S3Removal() }
            try await delete(key, version: nil)
            return S3Removal(versions: 1)
        }
        var removal = S3Removal()
        for version in try await versions(of: key) {
            try await delete(key, version: version.id)
            if version.isDeleteMarker { removal.deleteMarkers += 1 } else { removal.versions += 1 }
        }
        let left = try await versions(of: key)
        guard left.isEmpty else {
            throw DSARError(.storeFailure, "s3 store '\(name)': \(left.count) version(s) of an object in bucket '\(configuration.bucket)' "
                                + "were still there after they were deleted", location: client.location)
        }
        if !removal.isEmpty {
            logger.info("removed an object", metadata: ["store": "\(name)", "versions": "\(removal.versions)",
                                                        "deleteMarkers": "\(removal.deleteMarkers)"])
        }
        return removal
    }

    /// Whether the bucket keeps versions (versioning enabled, or suspended with versions kept).
    /// A server that does not implement versioning answers `NotImplemented`: no versions.
    func isVersioned() async throws -> Bool {
        if let known = versioning.withLock({ $0 }) { return known }
        let response = try await client.send(.GET, key: nil, query: [("versioning", "")])
        let versioned: Bool
        switch response.status.code {
        case 200:
            let status = S3XML.parse(try await client.document(response)).first("Status")
            versioned = status == "Enabled" || status == "Suspended"
        case 501:
            versioned = false
        default:
            throw await client.failure(response, doing: "asking whether the bucket keeps versions")
        }
        versioning.withLock { $0 = versioned }
        return versioned
    }

    struct ObjectVersion: Sendable {
        var id: String
        var isDeleteMarker: Bool
    }

    /// Every version and delete marker of exactly `key` (`ListObjectVersions`, page by page).
    func versions(of key: String) async throws -> [ObjectVersion] {
        var found: [ObjectVersion] = []
        var marker: (key: String, version: String)?
        repeat {
            var query: [(name: String, value: String)] = [("versions", ""), ("prefix", key)]
            if let marker { query += [("key-marker", marker.key), ("version-id-marker", marker.version)] }
            let response = try await client.send(.GET, key: nil, query: query)
            guard response.status.code == 200 else { throw await client.failure(response, doing: "listing an object's versions") }
            let page = S3XML.parse(try await client.document(response))
            guard page.name == "ListVersionsResult" else {
                throw DSARError(.storeFailure, "s3 store '\(name)': bucket '\(configuration.bucket)' answered a version listing with something else",
                                location: client.location)
            }
            for entry in page.children where entry.name == "Version" || entry.name == "DeleteMarker" {
                guard entry["Key"] == key, let id = entry["VersionId"] else { continue }
                found.append(ObjectVersion(id: id, isDeleteMarker: entry.name == "DeleteMarker"))
            }
            if page["IsTruncated"] == "true" {
                guard let nextKey = page["NextKeyMarker"], let nextVersion = page["NextVersionIdMarker"] else {
                    throw DSARError(.storeFailure, "s3 store '\(name)': bucket '\(configuration.bucket)' cut a version listing short",
                                    location: client.location)
                }
                marker = (nextKey, nextVersion)
            } else {
                marker = nil
            }
        } while marker != nil
        return found
    }

    /// `DELETE`, of one version when `version` is given. Gone already is not an error.
    func delete(_ key: String, version: String?) async throws {
        let response = try await client.send(.DELETE, key: key, query: version.map { [("versionId", $0)] } ?? [])
        switch response.status.code {
        case 200, 204, 404: return
        default: throw await client.failure(response, doing: "deleting an object")
        }
    }
}
