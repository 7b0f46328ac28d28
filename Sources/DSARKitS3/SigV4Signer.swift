import Crypto
import Foundation

/// Signs HTTP requests with AWS Signature Version 4 (`AWS4-HMAC-SHA256`), as S3 and every
/// S3-compatible server check them.
///
/// The signer never logs and never describes its secret. Paths are given already encoded
/// (``uriEncode(_:keepingSlash:)`` each key once, as S3 wants); query items are given raw and
/// encoded here.
public struct SigV4Signer: Sendable {
    /// A request to sign: method, encoded path, raw query items, headers to sign, payload hash.
    public struct Request: Sendable {
        public var method: String
        /// The canonical URI: the path as sent, each segment encoded once (`/bucket/a%20b.wav`).
        public var path: String
        public var query: [(name: String, value: String)]
        /// Headers to sign, `host` included. Names compare case-insensitively.
        public var headers: [(name: String, value: String)]
        /// Hex SHA-256 of the body, or `UNSIGNED-PAYLOAD`.
        public var payloadHash: String

        public init(method: String, path: String, query: [(name: String, value: String)] = [],
                    headers: [(name: String, value: String)], payloadHash: String = SigV4Signer.emptyPayloadHash) {
            self.method = method
            self.path = path
            self.query = query
            self.headers = headers
            self.payloadHash = payloadHash
        }
    }

    /// The SHA-256 of an empty body.
    public static let emptyPayloadHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

    public let accessKey: String
    private let secretKey: String
    public let region: String
    public let service: String

    public init(accessKey: String, secretKey: String, region: String, service: String = "s3") {
        self.accessKey = accessKey
        self.secretKey = secretKey
        self.region = region
        self.service = service
    }

    /// The `Authorization` header value for `request` at `date` (whose `x-amz-date` header
    /// the request must carry: see ``amzDate(_:)``).
    public func authorization(for request: Request, at date: Date) -> String {
        let day = String(Self.amzDate(date).prefix(8))
        let scope = "\(day)/\(region)/\(service)/aws4_request"
        let signature = self.signature(stringToSign: stringToSign(for: request, at: date), day: day)
        return "AWS4-HMAC-SHA256 Credential=\(accessKey)/\(scope), SignedHeaders=\(signedHeaders(request)), Signature=\(signature)"
    }

    /// The canonical request (step 1 of the AWS documentation).
    public func canonicalRequest(_ request: Request) -> String {
        let query = Self.canonicalQuery(request.query)
        let headers = canonicalHeaders(request).map { "\($0.name):\($0.value)\n" }.joined()
        return [request.method, request.path.isEmpty ? "/" : request.path, query, headers, signedHeaders(request), request.payloadHash]
            .joined(separator: "\n")
    }

    /// `a=1&b=2`: names and values encoded, sorted by name then value. Also the query string
    /// to send, so that what is signed is what the server reads.
    public static func canonicalQuery(_ items: [(name: String, value: String)]) -> String {
        var pairs: [(name: String, value: String)] = []
        for item in items {
            pairs.append((name: uriEncode(item.name, keepingSlash: false), value: uriEncode(item.value, keepingSlash: false)))
        }
        pairs.sort { (left: (name: String, value: String), right: (name: String, value: String)) -> Bool in
            left.name == right.name ? left.value < right.value : left.name < right.name
        }
        var parts: [String] = []
        for pair in pairs { parts.append(pair.name + "=" + pair.value) }
        return parts.joined(separator: "&")
    }

    /// The string to sign (step 2).
    public func stringToSign(for request: Request, at date: Date) -> String {
        let stamp = Self.amzDate(date)
        let scope = "\(stamp.prefix(8))/\(region)/\(service)/aws4_request"
        return ["AWS4-HMAC-SHA256", stamp, scope, Self.hex(SHA256.hash(data: Data(canonicalRequest(request).utf8)))]
            .joined(separator: "\n")
    }

    /// The signature (step 3): HMAC of the string to sign under the key derived for the day.
    func signature(stringToSign: String, day: String) -> String {
        var key = SymmetricKey(data: Data("AWS4\(secretKey)".utf8))
        for part in [day, region, service, "aws4_request"] {
            key = SymmetricKey(data: Data(HMAC<SHA256>.authenticationCode(for: Data(part.utf8), using: key)))
        }
        return Self.hex(HMAC<SHA256>.authenticationCode(for: Data(stringToSign.utf8), using: key))
    }

    private func canonicalHeaders(_ request: Request) -> [(name: String, value: String)] {
        var merged: [String: [String]] = [:]
        for header in request.headers {
            let value = header.value.split(whereSeparator: \.isWhitespace).joined(separator: " ")
            merged[header.name.lowercased(), default: []].append(value)
        }
        return merged.keys.sorted().map { ($0, merged[$0]!.joined(separator: ",")) }
    }

    private func signedHeaders(_ request: Request) -> String {
        canonicalHeaders(request).map(\.name).joined(separator: ";")
    }

    /// `20150830T123600Z`: the `x-amz-date` header value.
    public static func amzDate(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return String(format: "%04d%02d%02dT%02d%02d%02dZ", parts.year!, parts.month!, parts.day!, parts.hour!, parts.minute!, parts.second!)
    }

    /// Percent-encodes every byte but the unreserved `A-Z a-z 0-9 - . _ ~` (and `/` when
    /// `keepingSlash`), upper-case hex, as SigV4 requires.
    public static func uriEncode(_ text: String, keepingSlash: Bool) -> String {
        var encoded = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                encoded.unicodeScalars.append(Unicode.Scalar(byte))
            case UInt8(ascii: "/") where keepingSlash:
                encoded.append("/")
            default:
                encoded += String(format: "%%%02X", byte)
            }
        }
        return encoded
    }

    static func hex<D: Sequence>(_ digest: D) -> String where D.Element == UInt8 {
        digest.map { String(format: "%02x", $0) }.joined()
    }
}

extension SigV4Signer: CustomStringConvertible {
    /// Names the access key and scope only: the secret never appears.
    public var description: String { "SigV4Signer(accessKey: \(accessKey), region: \(region), service: \(service))" }
}
