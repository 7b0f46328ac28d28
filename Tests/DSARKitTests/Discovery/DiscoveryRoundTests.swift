import CallCenterExample
import DSARKit
import Foundation
import Synchronization
import Testing

/// A store that passes every call to another and writes down what was asked.
final class CountingStore: DataStore {
    struct Call: Sendable {
        /// Collection, column and comparison of each lookup of the call.
        let lookups: [StoreLookup]
        let batched: Bool
    }

    let wrapped: any DataStore
    private let log = Mutex<[Call]>([])

    init(_ wrapped: any DataStore) { self.wrapped = wrapped }

    var name: String { wrapped.name }
    var calls: [Call] { log.withLock { $0 } }

    func records(in collection: DataCollection, where match: ColumnMatch) -> AsyncThrowingStream<Record, any Error> {
        log.withLock { $0.append(Call(lookups: [StoreLookup(collection: collection, match: match)], batched: false)) }
        return wrapped.records(in: collection, where: match)
    }

    func records(matching lookups: [StoreLookup]) async throws -> [[Record]] {
        log.withLock { $0.append(Call(lookups: lookups, batched: true)) }
        return try await wrapped.records(matching: lookups)
    }

    func inspect(_ collection: DataCollection) async throws -> CollectionInspection { try await wrapped.inspect(collection) }
}

@Suite("Discovery in rounds")
struct DiscoveryRoundTests {
    let dataSet = ExampleData.dataSet

    @Test("Every lookup of a round reaches a store in one call, one query per collection and column, and a loaded row is not fetched again")
    func oneCallPerStorePerRound() async throws {
        let catalog = try Catalog.load(from: dataSet.catalogURL)
        let plain = try StoreSet.open(for: catalog)
        // The database's store counted; the voicemail folder as it is.
        let counting = try [CountingStore(#require(plain["crm"]))]
        let stores = StoreSet(counting + plain.stores.values.filter { $0.name != "crm" })
        for email in ["amel.benali@example.tn"] + dataSet.people.prefix(6).map(\.storedEmail) {
            let subject = try DataSubject(parsing: ["email:\(email)"], catalog: catalog)
            let before = counting.map(\.calls.count)
            let found = try await Discovery(catalog: catalog, stores: stores).discover(subject)
            let expected = try await Discovery(catalog: catalog, stores: plain).discover(subject)
            #expect(try Self.json(found) == Self.json(expected), "the same records, chains, conflicts and items to review")
            for (store, start) in zip(counting, before) {
                let calls = store.calls.dropFirst(start)
                let single = calls.filter { !$0.batched }.count
                #expect(single == 0, "\(store.name): every lookup went out with its round")
                for call in calls {
                    let queries = call.lookups.map { [$0.collection.name, $0.match.column, "\($0.match.comparison)", $0.match.jsonPath.joined(separator: ".")] }
                    #expect(Set(queries).count == queries.count, "\(store.name): one query per collection and column in a round")
                }
                // Rows of a single-key collection are looked up by their key at most once.
                var askedKeys: [String: Set<String>] = [:]
                for lookup in calls.flatMap(\.lookups) where lookup.collection.key == [lookup.match.column] && lookup.match.comparison == .exact {
                    let values = Set(lookup.match.values.compactMap(\.textValue))
                    #expect(askedKeys[lookup.collection.name, default: []].isDisjoint(with: values),
                            "\(store.name)/\(lookup.collection.name): a key fetched twice")
                    askedKeys[lookup.collection.name, default: []].formUnion(values)
                }
            }
            let crm = try #require(counting.first { $0.name == "crm" })
            #expect(crm.calls.count - before[counting.firstIndex { $0 === crm }!] <= 5, "a handful of rounds, one call each")
        }
    }

    private static func json(_ result: DiscoveryResult) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return try encoder.encode(result)
    }
}
