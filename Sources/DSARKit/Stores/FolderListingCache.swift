import Foundation
import Synchronization

/// Folder listings of a ``FolderStore``, valid while none of the listed folders has changed.
final class FolderListingCache: Sendable {
    private struct Listing: Sendable {
        var paths: [String]
        /// Changes whenever the listing is made again: keys derived caches.
        var generation: UInt64
        /// Every folder walked, with its modification time when the listing was made.
        var folders: [(path: String, modified: timespec)]
    }

    private let listings = Mutex<[String: Listing]>([:])
    private let generations = Mutex<UInt64>(0)
    private let indexes = Mutex<[String: (generation: UInt64, index: [String: [Record]])]>([:])

    /// The listing of `base` and its generation, if every folder in it still has the
    /// modification time it had.
    func cached(_ base: String) -> (paths: [String], generation: UInt64)? {
        guard let listing = listings.withLock({ $0[base] }) else { return nil }
        for folder in listing.folders {
            guard let modified = Self.modified(folder.path),
                  modified.tv_sec == folder.modified.tv_sec, modified.tv_nsec == folder.modified.tv_nsec else { return nil }
        }
        return (listing.paths, listing.generation)
    }

    /// Keeps a listing. `folders` carry the modification times read *before* each was listed,
    /// so a change made while listing invalidates it.
    @discardableResult
    func store(_ base: String, paths: [String], folders: [(path: String, modified: timespec)]) -> UInt64 {
        let generation = generations.withLock { value in
            value += 1
            return value
        }
        listings.withLock { $0[base] = Listing(paths: paths, generation: generation, folders: folders) }
        return generation
    }

    /// An index of records by a column's value, built once per listing generation.
    func index(_ key: String, generation: UInt64, build: () -> [String: [Record]]) -> [String: [Record]] {
        if let cached = indexes.withLock({ $0[key] }), cached.generation == generation { return cached.index }
        let index = build()
        indexes.withLock { $0[key] = (generation, index) }
        return index
    }

    static func modified(_ path: String) -> timespec? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return info.st_mtim
    }
}
