import Foundation

extension CallCenterDataSet {
    /// The catalog of the bucket variant.
    public var s3CatalogURL: URL { directory.appendingPathComponent("dsar-s3.yaml") }

    /// Turns the data set into the bucket variant: recordings and voicemails are objects of
    /// `bucket` at `endpoint` (keys as their paths below `data/recordings`, after `prefix`),
    /// read with the credentials in the variables `accessKeyEnv` and `secretKeyEnv`.
    ///
    /// Writes `dsar-s3.yaml` and returns the objects to upload, by key. The folder copy stays
    /// (it is what a test compares the bucket with).
    @discardableResult
    public func makeS3Variant(endpoint: String, bucket: String, prefix: String = "", pathStyle: Bool = true,
                              caFile: String? = nil, accessKeyEnv: String, secretKeyEnv: String) throws -> [String: URL] {
        var catalog = try String(contentsOf: catalogURL, encoding: .utf8)
        let folderStore = "  recordings: { type: files, root: data/recordings }\n"
        guard catalog.contains(folderStore) else { throw GenerationError.missingCatalogResource }
        catalog = catalog.replacingOccurrences(
            of: folderStore,
            with: "  recordings: { type: s3, endpoint: \"\(endpoint)\", bucket: \(bucket), prefix: \"\(prefix)\", region: us-east-1,\n"
                + "                accessKeyEnv: \(accessKeyEnv), secretKeyEnv: \(secretKeyEnv), pathStyle: \(pathStyle)"
                + (caFile.map { ", caFile: \"\($0)\"" } ?? "") + " }\n")
        try catalog.write(to: s3CatalogURL, atomically: true, encoding: .utf8)
        var objects: [String: URL] = [:]
        let root = recordingsURL.resolvingSymlinksInPath().standardizedFileURL
        guard let walk = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey]) else { return [:] }
        for case let url as URL in walk where (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true {
            let path = url.resolvingSymlinksInPath().standardizedFileURL.path
            objects[prefix + String(path.dropFirst(root.path.count + 1))] = url
        }
        return objects
    }
}
