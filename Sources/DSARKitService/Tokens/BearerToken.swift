import Foundation
import HTTPTypes
import Hummingbird

/// Reads `Authorization: Bearer dsar_…` and checks the token against ``IntegrationTokens``:
/// 401 when it is missing, unknown or revoked; 403 when its scope does not cover the route.
/// Works with any request context, so any Hummingbird application can mount the routes.
struct BearerToken: Sendable {
    let tokens: any IntegrationTokens

    func authorize(_ request: Request, for scope: TokenScope) async throws -> IntegrationToken {
        guard let header = request.headers[.authorization] else { throw APIError.missingToken }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { throw APIError.missingToken }
        let secret = parts[1].trimmingCharacters(in: .whitespaces)
        guard secret.hasPrefix("dsar_"), secret.count <= 128,
              let token = try await tokens.token(presenting: secret) else { throw APIError.unknownToken }
        guard token.scope == scope else { throw APIError.wrongScope(scope) }
        return token
    }
}
