import Foundation

/// How the OpenDSR API presents itself.
public struct OpenDSRConfiguration: Sendable {
    /// The address the API is reached at from outside (`https://dsar.example.com`), which
    /// `/discovery` uses to publish the processor certificate's URL.
    public var publicURL: String
    /// The `X-OpenGDPR-Processor-Domain` header: the domain the signing certificate is issued to.
    public var processorDomain: String
    /// The largest request body accepted, in bytes (larger: 413).
    public var maxBodySize: Int

    public init(publicURL: String, processorDomain: String? = nil, maxBodySize: Int = 64 * 1024) {
        var url = publicURL
        while url.hasSuffix("/") { url.removeLast() }
        self.publicURL = url
        self.processorDomain = processorDomain ?? URL(string: url)?.host ?? "localhost"
        self.maxBodySize = maxBodySize
    }

    /// The API version spoken: OpenDSR (formerly OpenGDPR) 0.1.
    public static let apiVersion = "0.1"
    /// Where the processor certificate is served, under the routes' group.
    public static let certificatePath = "processor_certificate.pem"
}
