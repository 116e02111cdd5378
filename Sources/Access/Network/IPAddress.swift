#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// An IPv4 or IPv6 address parsed from its text form, as used for peers, binds and trusted proxies.
///
/// IPv4-mapped IPv6 addresses (`::ffff:127.0.0.1`, as dual-stack sockets report IPv4 peers) are
/// stored as the IPv4 address they carry, so that one rule covers both spellings.
public struct IPAddress: Sendable, Hashable, CustomStringConvertible {
    /// The address family.
    public enum Family: Sendable, Hashable {
        /// A 4-byte IPv4 address.
        case ipv4
        /// A 16-byte IPv6 address.
        case ipv6
    }

    /// The family of this address.
    public let family: Family
    /// The address bytes in network order: 4 for IPv4, 16 for IPv6.
    public let bytes: [UInt8]

    /// Parses a literal address: dotted-quad IPv4, or IPv6 optionally in brackets (`[::1]`); `nil` otherwise.
    ///
    /// Host names, ports and zone ids (`fe80::1%eth0`) are not addresses and give `nil`.
    public init?(_ text: String) {
        var literal = Substring(text)
        if literal.hasPrefix("["), literal.hasSuffix("]") { literal = literal.dropFirst().dropLast() }
        guard !literal.isEmpty, literal.utf8.count <= 45 else { return nil }
        if let v4 = Self.parse(String(literal), family: AF_INET, count: 4) {
            family = .ipv4
            bytes = v4
        } else if let v6 = Self.parse(String(literal), family: AF_INET6, count: 16) {
            if v6[0..<10].allSatisfy({ $0 == 0 }), v6[10] == 0xff, v6[11] == 0xff {
                family = .ipv4
                bytes = Array(v6[12..<16])
            } else {
                family = .ipv6
                bytes = v6
            }
        } else {
            return nil
        }
    }

    /// Creates an address from bytes already known to fit `family` (4 or 16 of them).
    init(unchecked bytes: [UInt8], family: Family) {
        self.family = family
        self.bytes = bytes
    }

    /// Whether this is a loopback address: 127.0.0.0/8 or `::1`.
    public var isLoopback: Bool {
        switch family {
        case .ipv4: return bytes[0] == 127
        case .ipv6: return bytes[0..<15].allSatisfy { $0 == 0 } && bytes[15] == 1
        }
    }

    /// The conventional text form (`127.0.0.1`, `::1`).
    public var description: String {
        var buffer = [CChar](repeating: 0, count: 64)
        let af = family == .ipv4 ? AF_INET : AF_INET6
        let ok = bytes.withUnsafeBytes { raw in
            buffer.withUnsafeMutableBufferPointer { out in
                inet_ntop(af, raw.baseAddress, out.baseAddress, socklen_t(out.count)) != nil
            }
        }
        guard ok else { return bytes.map(String.init).joined(separator: ".") }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Parses `text` with `inet_pton`, which accepts only strict literals of the family.
    private static func parse(_ text: String, family: Int32, count: Int) -> [UInt8]? {
        var out = [UInt8](repeating: 0, count: count)
        let result = out.withUnsafeMutableBytes { raw in inet_pton(family, text, raw.baseAddress) }
        return result == 1 ? out : nil
    }
}
