public import Crypto

/// A link of the log's hash chain: SHA-256 over the previous link and an event's canonical bytes.
///
/// `link(n) = SHA-256(link(n-1) ‖ canonicalBytes(event n))`, with `link(0)` = 32 zero bytes.
/// The chain covers the uncompressed canonical bytes, never compressed ones, so a zstd upgrade
/// cannot change it. The digest is held inline (no heap allocation per link).
public struct ChainHash: Hashable, Sendable, CustomStringConvertible {
    @usableFromInline
    var storage: (UInt64, UInt64, UInt64, UInt64)

    /// The link before the first event: 32 zero bytes.
    public static let genesis = ChainHash(storage: (0, 0, 0, 0))

    @usableFromInline
    init(storage: (UInt64, UInt64, UInt64, UInt64)) {
        self.storage = storage
    }

    /// Creates a link from 32 bytes; returns nil for any other length.
    public init?(bytes: [UInt8]) {
        guard bytes.count == 32 else { return nil }
        var s: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        withUnsafeMutableBytes(of: &s) { $0.copyBytes(from: bytes) }
        storage = s
    }

    /// Creates a link from 32 raw bytes.
    public init?(raw: UnsafeRawBufferPointer) {
        guard raw.count == 32 else { return nil }
        var s: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        withUnsafeMutableBytes(of: &s) { $0.copyMemory(from: raw) }
        storage = s
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
        self.init(bytes: out)
    }

    /// The 32 bytes of the digest.
    public var bytes: [UInt8] {
        withUnsafeBytes(of: storage) { Array($0) }
    }

    /// The link after appending an event with `canonicalBytes` to this one.
    @inlinable
    public func next(_ canonicalBytes: UnsafeRawBufferPointer) -> ChainHash {
        var hasher = SHA256()
        withUnsafeBytes(of: storage) { hasher.update(bufferPointer: $0) }
        hasher.update(bufferPointer: canonicalBytes)
        let digest = hasher.finalize()
        var s: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        digest.withUnsafeBytes { d in withUnsafeMutableBytes(of: &s) { $0.copyMemory(from: d) } }
        return ChainHash(storage: s)
    }

    /// The link after appending an event with `canonicalBytes` to this one.
    public func next(_ canonicalBytes: [UInt8]) -> ChainHash {
        canonicalBytes.withUnsafeBytes { next($0) }
    }

    public static func == (a: ChainHash, b: ChainHash) -> Bool {
        a.storage.0 == b.storage.0 && a.storage.1 == b.storage.1 && a.storage.2 == b.storage.2
            && a.storage.3 == b.storage.3
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(storage.0)
        hasher.combine(storage.1)
        hasher.combine(storage.2)
        hasher.combine(storage.3)
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
