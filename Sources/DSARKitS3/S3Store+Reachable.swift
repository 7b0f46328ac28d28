import DSARKit

extension S3Store: ReachableStore {
    /// Lists one object below the prefix: the endpoint answers, the bucket exists, the
    /// credentials are accepted (a wrong secret is refused by the signature check), and the
    /// prefix holds something (an empty prefix is most often a misspelt one).
    public func checkReachable() async throws -> [String] {
        let response = try await client.send(.GET, key: nil, query: [("list-type", "2"), ("prefix", configuration.prefix), ("max-keys", "1")])
        guard response.status.code == 200 else { throw await client.failure(response, doing: "listing its prefix") }
        let page = S3XML.parse(try await client.document(response))
        guard page.name == "ListBucketResult" else {
            throw DSARError(.storeFailure, "s3 store '\(name)': bucket '\(configuration.bucket)' answered a listing with something else",
                            location: client.location)
        }
        if !configuration.prefix.isEmpty, page.all("Contents").isEmpty {
            throw DSARError(.storeUnavailable, "s3 store '\(name)': prefix '\(configuration.prefix)' of bucket '\(configuration.bucket)' holds no object",
                            location: client.location)
        }
        return []
    }
}
