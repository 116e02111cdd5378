/// A block of IP addresses given as a literal address or in CIDR form (`10.0.0.0/8`, `fd00::/8`).
public struct AddressRange: Sendable, Hashable, CustomStringConvertible {
    /// The first address of the block (host bits cleared).
    public let network: IPAddress
    /// The number of leading bits that must match: up to 32 for IPv4, 128 for IPv6.
    public let prefixLength: Int

    /// Parses `address` or `address/prefix`; `nil` when either part is malformed or the prefix is too long.
    public init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 1 || parts.count == 2, let address = IPAddress(String(parts[0])) else { return nil }
        let maximum = address.bytes.count * 8
        var length = maximum
        if parts.count == 2 {
            let digits = parts[1]
            guard !digits.isEmpty, digits.count <= 3, digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber),
                let value = Int(digits), value <= maximum
            else { return nil }
            length = value
        }
        prefixLength = length
        network = Self.masked(address, prefixLength: length)
    }

    /// Whether `address` lies in this block; IPv4 and IPv6 blocks never contain each other's addresses.
    public func contains(_ address: IPAddress) -> Bool {
        address.family == network.family && Self.masked(address, prefixLength: prefixLength) == network
    }

    /// `network/prefixLength`.
    public var description: String { "\(network)/\(prefixLength)" }

    /// `address` with every bit after the first `prefixLength` cleared.
    private static func masked(_ address: IPAddress, prefixLength: Int) -> IPAddress {
        var bytes = address.bytes
        for index in bytes.indices {
            let kept = min(max(prefixLength - index * 8, 0), 8)
            bytes[index] &= kept == 0 ? 0 : ~UInt8(0) << (8 - kept)
        }
        return IPAddress(unchecked: bytes, family: address.family)
    }
}
