import Foundation
import Hummingbird
import HummingbirdTesting

/// A browser's part, for route tests: keeps the cookies the console sets and sends them back,
/// reads the CSRF token out of the last page, and posts forms.
final class ConsoleSession: @unchecked Sendable {
    let client: any TestClientProtocol
    private(set) var cookies: [String: String] = [:]
    /// The raw `Set-Cookie` lines received, newest last.
    private(set) var setCookies: [String] = []
    private(set) var lastPage = ""

    init(_ client: any TestClientProtocol) { self.client = client }

    @discardableResult
    func get(_ uri: String, headers: HTTPFields = [:]) async throws -> TestResponse {
        try await send(uri, method: .get, headers: headers, body: nil)
    }

    /// Posts `fields`; `csrf: true` adds the token of the last page read.
    @discardableResult
    func post(_ uri: String, _ fields: [String: String], csrf: Bool = true) async throws -> TestResponse {
        var fields = fields
        if csrf, fields["csrf"] == nil, let token = csrfToken { fields["csrf"] = token }
        let body = fields.map { "\(Self.encode($0.key))=\(Self.encode($0.value))" }.joined(separator: "&")
        return try await send(uri, method: .post, headers: [.contentType: "application/x-www-form-urlencoded"], body: ByteBuffer(string: body))
    }

    /// Signs `name` in from the sign-in page.
    @discardableResult
    func signIn(_ name: String, _ password: String) async throws -> TestResponse {
        try await get("/console/sign-in")
        return try await post("/console/sign-in", ["name": name, "password": password])
    }

    var csrfToken: String? {
        guard let range = lastPage.range(of: "name=\"csrf\" value=\"") else { return nil }
        return String(lastPage[range.upperBound...].prefix { $0 != "\"" })
    }

    private func send(_ uri: String, method: HTTPRequest.Method, headers: HTTPFields, body: ByteBuffer?) async throws -> TestResponse {
        var headers = headers
        if !cookies.isEmpty { headers[.cookie] = cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ") }
        let response = try await client.execute(uri: uri, method: method, headers: headers, body: body)
        for line in response.headers[values: .setCookie] {
            setCookies.append(line)
            let pair = line.split(separator: ";")[0].split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let value = pair.count > 1 ? String(pair[1]) : ""
            cookies[String(pair[0])] = value.isEmpty || line.contains("Max-Age=0") ? nil : value
        }
        if response.headers[.contentType]?.hasPrefix("text/html") == true { lastPage = String(buffer: response.body) }
        return response
    }

    static func encode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }
}

extension TestResponse {
    var text: String { String(buffer: body) }
    var location: String? { headers[.location] }
    func header(_ name: String) -> String? { headers.first { $0.name.canonicalName == name.lowercased() }?.value }
}
