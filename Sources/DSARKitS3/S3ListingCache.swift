import DSARKit
import Synchronization

/// Listings of an ``S3Store``'s prefixes, reused for a short while, and the per-placeholder
/// indexes built from them. A bucket has no cheap "has this folder changed" question, so a
/// listing lives ``S3StoreConfiguration/listingLifetime``, and every removal the store makes
/// drops them all at once.
final class S3ListingCache: Sendable {
    struct Listing: Sendable {
        /// Paths relative to the store's prefix, sorted.
        var paths: [String]
        var generation: UInt64
        var madeAt: ContinuousClock.Instant
    }

    private let lifetime: Duration
    private let listings = Mutex<[String: Listing]>([:])
    private let generations = Mutex<UInt64>(0)
    private let indexes = Mutex<[String: (generation: UInt64, index: [String: [Record]])]>([:])

    init(lifetime: Duration) {
        self.lifetime = lifetime
    }

    func cached(_ prefix: String) -> Listing? {
        guard let listing = listings.withLock({ $0[prefix] }) else { return nil }
        return ContinuousClock.now - listing.madeAt < lifetime ? listing : nil
    }

    func store(_ prefix: String, paths: [String], madeAt: ContinuousClock.Instant) -> Listing {
        let generation = generations.withLock { value in
            value += 1
            return value
        }
        let listing = Listing(paths: paths, generation: generation, madeAt: madeAt)
        listings.withLock { $0[prefix] = listing }
        return listing
    }

    /// Forgets every listing: the next lookup lists the bucket again.
    func invalidate() {
        listings.withLock { $0.removeAll() }
    }

    func index(_ key: String, generation: UInt64, build: () -> [String: [Record]]) -> [String: [Record]] {
        if let cached = indexes.withLock({ $0[key] }), cached.generation == generation { return cached.index }
        let index = build()
        indexes.withLock { $0[key] = (generation, index) }
        return index
    }
}
