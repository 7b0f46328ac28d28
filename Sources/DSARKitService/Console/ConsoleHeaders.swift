import Hummingbird

/// The console's security headers on every response: scripts, frames and foreign origins off,
/// nothing cached.
struct ConsoleHeaders<Context: RequestContext>: RouterMiddleware {
    static var fields: [(HTTPFields.Element.Name, String)] {
        [(HTTPFields.Element.Name("Content-Security-Policy")!, "default-src 'self'; script-src 'none'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'"),
         (HTTPFields.Element.Name("X-Frame-Options")!, "DENY"),
         (HTTPFields.Element.Name("X-Content-Type-Options")!, "nosniff"),
         (HTTPFields.Element.Name("Referrer-Policy")!, "no-referrer"),
         (.cacheControl, "no-store")]
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response: Response
        do {
            response = try await next(request, context)
        } catch let error as HTTPResponseError {
            response = try error.response(from: request, context: context)
        }
        for (name, value) in Self.fields { response.headers[name] = value }
        return response
    }
}
