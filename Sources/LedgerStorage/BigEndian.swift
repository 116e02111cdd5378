/// Helpers for the big-endian integer keys that make LMDB's byte order equal numeric order.
enum BigEndianKey {
    /// The 8 big-endian bytes of `value`.
    @inline(__always)
    static func bytes(_ value: UInt64) -> [UInt8] {
        withUnsafeBytes(of: value.bigEndian) { Array($0) }
    }

    /// Reads 8 big-endian bytes at `offset`.
    @inline(__always)
    static func read(_ raw: UnsafeRawBufferPointer, at offset: Int = 0) -> UInt64 {
        UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
    }

    /// Maps a signed time to an unsigned key whose byte order equals time order.
    @inline(__always)
    static func timeKey(_ micros: Int64) -> UInt64 {
        UInt64(bitPattern: micros) ^ (1 << 63)
    }

    /// Inverts ``timeKey(_:)``.
    @inline(__always)
    static func time(fromKey key: UInt64) -> Int64 {
        Int64(bitPattern: key ^ (1 << 63))
    }

    /// Runs `body` with the 8 big-endian bytes of `value`.
    @inline(__always)
    static func with<T>(_ value: UInt64, _ body: (UnsafeRawBufferPointer) throws -> T) rethrows -> T {
        try withUnsafeBytes(of: value.bigEndian) { try body($0) }
    }

    /// Runs `body` with the 16 big-endian bytes of two values.
    @inline(__always)
    static func with<T>(_ a: UInt64, _ b: UInt64, _ body: (UnsafeRawBufferPointer) throws -> T) rethrows -> T {
        try withUnsafeBytes(of: (a.bigEndian, b.bigEndian)) { try body($0) }
    }
}
