import DSARKit
import Foundation

/// Where an ``S3Store`` finds its objects, read from the catalog:
/// `{ type: s3, endpoint: "https://s3.eu-west-3.amazonaws.com", bucket: recordings, prefix: "calls/",
/// region: eu-west-3, accessKeyEnv: NAME, secretKeyEnv: NAME, pathStyle: true, caFile: certs/ca.pem }`.
///
/// Credentials come only from the environment variables the catalog names; a catalog that
/// holds them (in the endpoint's URL, or as `accessKey`/`secretKey`) is refused.
public struct S3StoreConfiguration: Sendable {
    /// `https://host[:port]`, without the bucket (unless you give it in a path of your own).
    public var endpoint: URL
    public var bucket: String
    /// Prepended to every path of the store (`calls/`): the store's root inside the bucket.
    public var prefix: String
    public var region: String
    /// `true`: `https://host/bucket/key` (most S3-compatible servers); `false`:
    /// `https://bucket.host/key` (AWS's virtual-hosted style).
    public var pathStyle: Bool
    /// How long a listing of a pattern's prefix is reused before the bucket is listed again
    /// (the store's own removals drop it at once). `0` lists on every lookup.
    public var listingLifetime: Duration
    /// Objects asked for per `ListObjectsV2` page (1…1000; servers may send fewer).
    public var listPageSize: Int
    /// How long a response may go without a byte (`readTimeout: 60`, whole seconds) before the
    /// store gives up on it: a server that stalls in the middle of a recording fails the read
    /// with an error naming the store instead of holding a package or an erasure open for ever.
    public var readTimeout: Duration
    /// The PEM bundle of the certificate authorities an `https` endpoint's certificate must chain
    /// to (`caFile: certs/internal-ca.pem`, relative to the catalog): a server behind an internal
    /// CA. It replaces the system's trust store for this store, as `curl --cacert` does; `nil`
    /// trusts the system's. Certificates are always verified, host name included.
    public var caFile: URL?
    public var accessKey: String
    var secretKey: String

    public init(endpoint: URL, bucket: String, prefix: String = "", region: String = "us-east-1", pathStyle: Bool = true,
                listingLifetime: Duration = .seconds(30), listPageSize: Int = 1000, readTimeout: Duration = .seconds(60),
                caFile: URL? = nil, accessKey: String, secretKey: String) {
        self.endpoint = endpoint
        self.bucket = bucket
        self.prefix = prefix
        self.region = region
        self.pathStyle = pathStyle
        self.listingLifetime = listingLifetime
        self.listPageSize = listPageSize
        self.readTimeout = readTimeout
        self.caFile = caFile
        self.accessKey = accessKey
        self.secretKey = secretKey
    }

    /// Reads a `type: s3` declaration, taking the credentials from `environment` and a relative
    /// `caFile` from `baseDirectory` (the catalog's folder; the current directory when `nil`).
    /// Every problem names the store and its place in the catalog; no secret is ever in a message.
    public init(declaration: StoreDeclaration, environment: [String: String], baseDirectory: URL? = nil) throws {
        let name = declaration.name
        let place = "stores.\(name)" + (declaration.location.map { " (line \($0.line))" } ?? "")
        func invalid(_ message: String) -> DSARError { DSARError(.invalidCatalog, "s3 store '\(name)' \(message)", location: place) }
        let settings = declaration.settings
        for secret in ["accessKey", "secretKey", "secretAccessKey", "accessKeyId", "sessionToken"] where settings[secret] != nil {
            throw invalid("has '\(secret)' in the catalog; put it in an environment variable and name it with accessKeyEnv / secretKeyEnv")
        }
        guard let text = settings["endpoint"], let url = URLComponents(string: text), let scheme = url.scheme?.lowercased(),
              scheme == "https" || scheme == "http", let host = url.host, !host.isEmpty, let endpoint = url.url else {
            throw invalid("needs endpoint: https://host[:port] (for example https://s3.eu-west-3.amazonaws.com)")
        }
        if url.user != nil || url.password != nil || url.query != nil {
            throw invalid("has credentials or a query in its endpoint; give https://host[:port] only, credentials through accessKeyEnv / secretKeyEnv")
        }
        guard let bucket = settings["bucket"], !bucket.isEmpty, !bucket.contains("/") else {
            throw invalid("needs bucket: NAME (a bucket name, without '/')")
        }
        let prefix = settings["prefix"] ?? ""
        if prefix.hasPrefix("/") || prefix.split(separator: "/").contains("..") {
            throw invalid("has a prefix that starts with '/' or holds '..'; give it relative to the bucket (calls/)")
        }
        let pathStyle: Bool
        switch settings["pathStyle"]?.lowercased() {
        case nil, "true", "yes": pathStyle = true
        case "false", "no": pathStyle = false
        default: throw invalid("has pathStyle '\(settings["pathStyle"]!)'; use true or false")
        }
        var lifetime = Duration.seconds(30)
        if let text = settings["listingLifetime"] {
            guard let seconds = Int(text), seconds >= 0 else { throw invalid("needs listingLifetime in whole seconds (30)") }
            lifetime = .seconds(seconds)
        }
        var pageSize = 1000
        if let text = settings["listPageSize"] {
            guard let size = Int(text), (1...1000).contains(size) else { throw invalid("needs listPageSize from 1 to 1000") }
            pageSize = size
        }
        var readTimeout = Duration.seconds(60)
        if let text = settings["readTimeout"] {
            guard let seconds = Int(text), (1...3600).contains(seconds) else { throw invalid("needs readTimeout in whole seconds from 1 to 3600 (60)") }
            readTimeout = .seconds(seconds)
        }
        let caFile = try settings["caFile"].map { path in
            guard scheme == "https" else { throw invalid("has caFile but an http endpoint; a CA file only applies to https") }
            return try Self.trustedAuthorities(path, baseDirectory: baseDirectory, invalid: invalid)
        }
        var keys: [String] = []
        for setting in ["accessKeyEnv", "secretKeyEnv"] {
            guard let variable = settings[setting], !variable.isEmpty else {
                throw invalid("needs \(setting): NAME, the environment variable holding its \(setting == "accessKeyEnv" ? "access key id" : "secret access key")")
            }
            guard let value = environment[variable], !value.isEmpty else {
                throw DSARError(.storeUnavailable, "the environment variable \(variable) named by \(setting) of s3 store '\(name)' is not set",
                                location: place)
            }
            keys.append(value)
        }
        self.init(endpoint: endpoint, bucket: bucket, prefix: prefix, region: settings["region"] ?? "us-east-1",
                  pathStyle: pathStyle, listingLifetime: lifetime, listPageSize: pageSize, readTimeout: readTimeout,
                  caFile: caFile, accessKey: keys[0], secretKey: keys[1])
    }
}
