/// An Art. 19 notice to send: a recipient the catalog declares for collections an erasure
/// deleted or masked rows of. Recipients must be told unless that proves impossible or
/// involves disproportionate effort, and the person may ask who they are.
public struct ErasureNotice: Sendable, Hashable, Codable {
    public var recipient: String
    /// The erased collections this recipient received data from, in catalog order.
    public var collections: [String]

    public init(recipient: String, collections: [String]) {
        self.recipient = recipient
        self.collections = collections
    }

    /// The notices owed after the erasure `certificate` describes.
    public static func notices(for certificate: ErasureCertificate, catalog: Catalog) -> [ErasureNotice] {
        notices(for: [certificate], catalog: catalog)
    }

    /// The notices owed after several erasures of one request (a run finished by `--resume`,
    /// then one that closed the request; replays after a restore), each recipient once.
    public static func notices(for certificates: [ErasureCertificate], catalog: Catalog) -> [ErasureNotice] {
        let erased = Set(certificates.flatMap(\.collections).filter { $0.deleted + $0.masked > 0 }.map(\.collection))
        var byRecipient: [String: [String]] = [:]
        var order: [String] = []
        for collection in catalog.collections where erased.contains(collection.name) {
            for recipient in collection.recipients {
                if byRecipient[recipient] == nil { order.append(recipient) }
                byRecipient[recipient, default: []].append(collection.name)
            }
        }
        return order.map { ErasureNotice(recipient: $0, collections: byRecipient[$0]!) }
    }
}
