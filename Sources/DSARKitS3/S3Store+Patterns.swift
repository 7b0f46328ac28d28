import DSARKit
import Foundation

extension S3Store {
    public func records(in collection: DataCollection, where match: ColumnMatch) -> AsyncThrowingStream<Record, any Error> {
        AsyncThrowingStream { continuation in
            let task = Task {
                do {
                    guard let pattern = collection.pattern else {
                        throw DSARError(.unsupported, "an s3 store only serves pattern collections", location: "\(name)/\(collection.name)")
                    }
                    // Its sidecar fields would never match: refused rather than a search that finds nothing.
                    guard collection.sidecar == nil else {
                        throw DSARError(.unsupported, "an s3 store does not read sidecar files yet; serve this collection from a files store",
                                        location: "\(name)/\(collection.name)")
                    }
                    guard match.comparison != .containing else {
                        throw DSARError(.unsupported, "identifiers extracted from text are not supported in file names",
                                        location: "\(name)/\(collection.name)")
                    }
                    let index = try await patternIndex(pattern, column: match.column, comparison: match.comparison)
                    var seen = Set<String>()
                    for value in match.values {
                        guard var text = value.textValue else { continue }
                        if match.comparison == .caseInsensitive { text = EmailFolding.fold(text) }
                        for record in index[text] ?? [] where seen.insert(record["path"]?.textValue ?? "").inserted {
                            continuation.yield(record)
                        }
                    }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    /// A pattern collection exists when its literal prefix holds at least one object (a
    /// bucket has no empty folders), or when it has none (`{phone}.wav`: the bucket itself).
    public func inspect(_ collection: DataCollection) async throws -> CollectionInspection {
        guard let pattern = collection.pattern else { return CollectionInspection(exists: false) }
        guard collection.sidecar == nil else {
            throw DSARError(.unsupported, "collection '\(collection.name)' has a sidecar, and an s3 store does not read sidecar files yet",
                            location: "\(name)/\(collection.name)")
        }
        let listing = try await list(Self.literalPrefix(of: pattern))
        let columns = ["path"] + pattern.placeholders
        let exists = !listing.paths.isEmpty || pattern.baseFolder.isEmpty
        return CollectionInspection(exists: exists, columns: columns, indexedColumns: Set(columns),
                                    caseInsensitiveIndexedColumns: Set(columns))
    }

    /// The pattern's records indexed by one column's value (folded for case-insensitive
    /// lookups), built once per listing.
    func patternIndex(_ pattern: FilePattern, column: String, comparison: ColumnMatch.Comparison) async throws -> [String: [Record]] {
        let listing = try await list(Self.literalPrefix(of: pattern))
        return listings.index("\(pattern.text)\u{0}\(column)\u{0}\(comparison)", generation: listing.generation) {
            let columns = ["path"] + pattern.placeholders
            var index: [String: [Record]] = [:]
            for path in listing.paths {
                guard let captures = pattern.match(path) else { continue }
                let record = Record(columns: columns, values: [.text(path)] + pattern.placeholders.map { .text(captures[$0] ?? "") })
                guard var text = record[column]?.textValue else { continue }
                if comparison == .caseInsensitive { text = EmailFolding.fold(text) }
                index[text, default: []].append(record)
            }
            return index
        }
    }

    /// The text before the pattern's first placeholder (`voicemail/` of `voicemail/{phone}.wav`):
    /// only objects whose keys start with it can match.
    static func literalPrefix(of pattern: FilePattern) -> String {
        guard case .literal(let text)? = pattern.parts.first else { return "" }
        return text
    }

    /// The paths (relative to the store's prefix) of every object below `prefix`, with
    /// `ListObjectsV2` page by page, reused while the listing is fresh.
    func list(_ prefix: String) async throws -> S3ListingCache.Listing {
        if let cached = listings.cached(prefix) { return cached }
        let started = ContinuousClock.now
        var paths: [String] = []
        var token: String?
        var pages = 0
        repeat {
            var query: [(name: String, value: String)] = [("list-type", "2"), ("prefix", configuration.prefix + prefix),
                                                          ("max-keys", "\(configuration.listPageSize)")]
            if let token { query.append(("continuation-token", token)) }
            let response = try await client.send(.GET, key: nil, query: query)
            guard response.status.code == 200 else { throw await client.failure(response, doing: "listing objects") }
            let page = S3XML.parse(try await client.document(response))
            guard page.name == "ListBucketResult" else {
                throw DSARError(.storeFailure, "s3 store '\(name)': bucket '\(configuration.bucket)' answered a listing with something else",
                                location: client.location)
            }
            for object in page.all("Contents") {
                guard let key = object["Key"], key.hasPrefix(configuration.prefix), !key.hasSuffix("/") else { continue }
                paths.append(String(key.dropFirst(configuration.prefix.count)))
            }
            token = page["IsTruncated"] == "true" ? page["NextContinuationToken"] : nil
            pages += 1
            if page["IsTruncated"] == "true", token == nil {
                throw DSARError(.storeFailure, "s3 store '\(name)': bucket '\(configuration.bucket)' cut a listing short without a continuation token",
                                location: client.location)
            }
        } while token != nil
        logger.debug("listed a prefix", metadata: ["store": "\(name)", "objects": "\(paths.count)", "pages": "\(pages)"])
        return listings.store(prefix, paths: paths.sorted(), madeAt: started)
    }
}

extension S3Store: ListableFileStore {
    /// The key of every object below the store's prefix, relative to it (`ListObjectsV2`, page
    /// by page; folder markers ending in `/` left out), reused while the listing is fresh.
    public func allFilePaths() async throws -> [String] {
        try await list("").paths
    }
}
