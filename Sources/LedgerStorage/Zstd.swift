private import CZstd
import Foundation
import LedgerCore

/// The one place where zstd return codes become errors (style rule 2).
@inline(__always)
func checkZstd(_ code: Int, _ operation: @autoclosure () -> String) throws(LedgerError) -> Int {
    if ZSTD_isError(code) != 0 {
        throw LedgerError(.storage, "\(operation()): \(String(cString: ZSTD_getErrorName(code)))")
    }
    return code
}

/// A trained zstd dictionary in its digested forms; shared read-only between threads.
final class ZstdDictionary: @unchecked Sendable {
    /// The ledger's id for this dictionary (not zstd's internal id).
    let id: UInt32
    /// The raw dictionary bytes as stored.
    let bytes: [UInt8]
    private let compressionDictionary: OpaquePointer
    private let decompressionDictionary: OpaquePointer
    /// The level the compression dictionary was digested for.
    let level: Int32

    init(id: UInt32, bytes: [UInt8], level: Int32) throws(LedgerError) {
        self.id = id
        self.bytes = bytes
        self.level = level
        let c = bytes.withUnsafeBytes { ZSTD_createCDict($0.baseAddress, $0.count, level) }
        let d = bytes.withUnsafeBytes { ZSTD_createDDict($0.baseAddress, $0.count) }
        guard let c, let d else {
            if let c { ZSTD_freeCDict(c) }
            if let d { ZSTD_freeDDict(d) }
            throw LedgerError(.corruption, "zstd dictionary \(id) could not be loaded")
        }
        compressionDictionary = c
        decompressionDictionary = d
    }

    deinit {
        ZSTD_freeCDict(compressionDictionary)
        ZSTD_freeDDict(decompressionDictionary)
    }

    fileprivate var cdict: OpaquePointer { compressionDictionary }
    fileprivate var ddict: OpaquePointer { decompressionDictionary }

    /// Trains a dictionary of at most `capacity` bytes from `samples`.
    static func train(samples: [[UInt8]], capacity: Int) throws(LedgerError) -> [UInt8] {
        var concatenated: [UInt8] = []
        concatenated.reserveCapacity(samples.reduce(0) { $0 + $1.count })
        var sizes: [Int] = []
        sizes.reserveCapacity(samples.count)
        for s in samples {
            concatenated.append(contentsOf: s)
            sizes.append(s.count)
        }
        var dictionary = [UInt8](repeating: 0, count: capacity)
        let size = dictionary.withUnsafeMutableBytes { d in
            concatenated.withUnsafeBytes { c in
                sizes.withUnsafeBufferPointer { z in
                    ZDICT_trainFromBuffer(d.baseAddress, capacity, c.baseAddress, z.baseAddress, UInt32(samples.count))
                }
            }
        }
        if ZDICT_isError(size) != 0 {
            throw LedgerError(.storage, "zstd dictionary training failed: \(String(cString: ZDICT_getErrorName(size)))")
        }
        return Array(dictionary.prefix(size))
    }
}

/// A zstd compression context; one per thread, never shared.
final class ZstdCompressor {
    private let context: OpaquePointer
    let level: Int32

    init(level: Int32) {
        context = ZSTD_createCCtx()
        self.level = level
    }

    deinit { ZSTD_freeCCtx(context) }

    /// Compresses `input`, with `dictionary` when given, appending the frame to `output`.
    func compress(_ input: UnsafeRawBufferPointer, dictionary: ZstdDictionary?, into output: inout [UInt8]) throws(LedgerError) {
        let bound = ZSTD_compressBound(input.count)
        let start = output.count
        output.append(contentsOf: repeatElement(0, count: bound))
        let written: Int = output.withUnsafeMutableBytes { out in
            let dst = out.baseAddress! + start
            if let dictionary {
                return ZSTD_compress_usingCDict(context, dst, bound, input.baseAddress, input.count, dictionary.cdict)
            }
            return ZSTD_compressCCtx(context, dst, bound, input.baseAddress, input.count, level)
        }
        let n = try checkZstd(written, "zstd compression")
        output.removeLast(bound - n)
    }
}

/// A zstd decompression context; one per thread, never shared.
final class ZstdDecompressor {
    private let context: OpaquePointer

    init() {
        context = ZSTD_createDCtx()
    }

    deinit { ZSTD_freeDCtx(context) }

    /// Decompresses exactly `expectedSize` bytes from `frame` into `output` (replacing its contents).
    func decompress(
        _ frame: UnsafeRawBufferPointer, expectedSize: Int, dictionary: ZstdDictionary?, into output: inout [UInt8]
    ) throws(LedgerError) {
        if output.count < expectedSize {
            output.append(contentsOf: repeatElement(0, count: expectedSize - output.count))
        } else if output.count > expectedSize {
            output.removeLast(output.count - expectedSize)
        }
        let n: Int = output.withUnsafeMutableBytes { out in
            if let dictionary {
                return ZSTD_decompress_usingDDict(
                    context, out.baseAddress, expectedSize, frame.baseAddress, frame.count, dictionary.ddict)
            }
            return ZSTD_decompressDCtx(context, out.baseAddress, expectedSize, frame.baseAddress, frame.count)
        }
        if ZSTD_isError(n) != 0 {
            throw LedgerError(.corruption, "zstd frame does not decompress: \(String(cString: ZSTD_getErrorName(n)))")
        }
        guard n == expectedSize else {
            throw LedgerError(.corruption, "zstd frame decompressed to \(n) bytes, the frame header says \(expectedSize)")
        }
    }
}

/// The zstd library version, e.g. "1.5.4".
func zstdVersion() -> String {
    String(cString: ZSTD_versionString())
}
