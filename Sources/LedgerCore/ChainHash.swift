public import Crypto

/// A link of the log's hash chain: SHA-256 over the previous link and an event's canonical bytes.
///
/// `link(n) = SHA-256(link(n-1) ‖ canonicalBytes(event n))`, with `link(0)` = 32 zero bytes.
/// The chain covers the uncompressed canonical bytes, never compressed ones, so a zstd upgrade
/// cannot change it.
public struct ChainHash: Hashable, Sendable, CustomStringConvertible {
    /// The 32 bytes of the digest.
    public private(set) var bytes: [UInt8]

    /// The link before the first event: 32 zero bytes.
    public static let genesis = ChainHash(uncheckedBytes: [UInt8](repeating: 0, count: 32))

    /// Creates a link from 32 bytes; returns nil for any other length.
    public init?(bytes: [UInt8]) {
        guard bytes.count == 32 else { return nil }
        self.bytes = bytes
    }

    init(uncheckedBytes: [UInt8]) {
        self.bytes = uncheckedBytes
    }

    /// Parses 64 lowercase or uppercase hexadecimal digits.
    public init?(hex: String) {
        let utf8 = Array(hex.utf8)
        guard utf8.count == 64 else { return nil }
        var out = [UInt8]()
        out.reserveCapacity(32)
        var i = 0
        while i < 64 {
            guard let hi = Self.nibble(utf8[i]), let lo = Self.nibble(utf8[i + 1]) else { return nil }
            out.append(hi << 4 | lo)
            i += 2
        }
        self.bytes = out
    }

    /// The link after appending an event with `canonicalBytes` to this one.
    @inlinable
    public func next(_ canonicalBytes: UnsafeRawBufferPointer) -> ChainHash {
        var hasher = SHA256()
        bytes.withUnsafeBytes { hasher.update(bufferPointer: $0) }
        hasher.update(bufferPointer: canonicalBytes)
        return ChainHash(digest: hasher.finalize())
    }

    /// The link after appending an event with `canonicalBytes` to this one.
    public func next(_ canonicalBytes: [UInt8]) -> ChainHash {
        canonicalBytes.withUnsafeBytes { next($0) }
    }

    @usableFromInline
    init(digest: SHA256.Digest) {
        self.bytes = digest.withUnsafeBytes { Array($0) }
    }

    /// The digest as 64 lowercase hexadecimal digits.
    public var hex: String {
        let digits: [UInt8] = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(64)
        for b in bytes {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 15)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    public var description: String { hex }

    private static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case 48...57: return c - 48
        case 97...102: return c - 87
        case 65...70: return c - 55
        default: return nil
        }
    }
}
