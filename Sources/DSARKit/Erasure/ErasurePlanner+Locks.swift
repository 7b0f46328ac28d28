extension ErasurePlanner {
    /// The subject's records whose file a ``LockingFileStore`` will not delete now, with the lock.
    func fileLocks(_ result: DiscoveryResult) async throws -> [RecordID: FileLock] {
        var locks: [RecordID: FileLock] = [:]
        for file in result.files {
            guard let store = stores[file.store] as? any LockingFileStore,
                  let lock = try await store.lock(on: file.path) else { continue }
            locks[RecordID(collection: file.collection, key: file.record)] = lock
        }
        return locks
    }

    /// How many versions and delete markers of `file` its store keeps, when it keeps versions.
    func versionCount(of file: FoundFile) async throws -> Int? {
        guard let store = stores[file.store] as? any VersionedFileStore else { return nil }
        return try await store.versionCount(at: file.path)
    }
}
