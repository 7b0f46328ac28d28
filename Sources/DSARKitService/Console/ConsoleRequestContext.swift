import Hummingbird
import Logging
import NIOCore

/// What the console needs of a Hummingbird request context: the peer's address, for limiting
/// sign-in attempts per address. ``DSARRequestContext`` is a ready one.
public protocol ConsoleRequestContext: RequestContext {
    /// The client's IP address, when the server knows it.
    var peerAddress: String? { get }
}

/// The request context of `dsar serve`, and of any application that mounts only DSARKit's routes.
public struct DSARRequestContext: ConsoleRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let peerAddress: String?

    public init(source: ApplicationRequestContextSource) {
        coreContext = CoreRequestContextStorage(source: source)
        peerAddress = source.channel.remoteAddress?.ipAddress
    }
}
