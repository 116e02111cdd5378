import HTTPTypes
public import Hummingbird
public import NIOCore

/// The per-request context of the RunLedger server: Hummingbird's core storage plus the peer address.
///
/// The peer address is what the identity resolver checks before it trusts proxy or loopback headers.
public struct APIRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The address of the connected peer, nil when the transport has none.
    public let remoteAddress: SocketAddress?

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.remoteAddress = source.channel.remoteAddress
    }

    /// The peer address as text (`127.0.0.1`, `::1`), or an empty string when unknown.
    public var peerAddressText: String {
        remoteAddress?.ipAddress ?? ""
    }
}
