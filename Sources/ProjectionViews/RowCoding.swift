import Certification
import LedgerCore

/// Writes view values in the projection's row encoding: ``ByteWriter`` primitives plus fixed-width fields.
///
/// Doubles are 8 bytes of IEEE 754 bits, big-endian, with -0.0 written as 0.0 so equal values give equal
/// bytes; unsigned 32- and 64-bit fields that must be patched in place are fixed-width big-endian; every
/// other integer is a varint (zigzag when it may be negative).
struct RowWriter {
    var w: ByteWriter

    init(format: UInt8, capacity: Int = 128) {
        w = ByteWriter(capacity: capacity)
        w.writeByte(format)
    }

    /// A writer for a piece of a row, without a format byte.
    init(capacity: Int) {
        w = ByteWriter(capacity: capacity)
    }

    /// The bytes `body` writes into a fresh writer.
    static func piece(capacity: Int = 32, _ body: (inout RowWriter) -> Void) -> [UInt8] {
        var w = RowWriter(capacity: capacity)
        body(&w)
        return w.bytes
    }

    var bytes: [UInt8] { w.bytes }

    mutating func byte(_ b: UInt8) { w.writeByte(b) }
    mutating func bool(_ b: Bool) { w.writeByte(b ? 1 : 0) }
    mutating func varint(_ v: UInt64) { w.writeVarint(v) }
    mutating func count(_ n: Int) { w.writeVarint(UInt64(n)) }
    mutating func int(_ v: Int) { w.writeZigZag(Int64(v)) }
    mutating func string(_ s: String) { w.writeString(s) }
    mutating func uint64BE(_ v: UInt64) { w.writeUInt64BigEndian(v) }

    mutating func uint32BE(_ v: UInt32) {
        w.writeByte(UInt8(v >> 24))
        w.writeByte(UInt8((v >> 16) & 0xFF))
        w.writeByte(UInt8((v >> 8) & 0xFF))
        w.writeByte(UInt8(v & 0xFF))
    }

    mutating func double(_ d: Double) { w.writeUInt64BigEndian(RowWriter.bits(d)) }

    /// A workspace name: its position + 1 in ``WorkspaceNames/table`` as a varint, or 0 ‖ the name.
    mutating func workspace(_ name: String) {
        if let i = WorkspaceNames.index(of: name) {
            varint(UInt64(i + 1))
        } else {
            byte(0)
            string(name)
        }
    }

    /// A list of workspace names, sorted by UTF-8 bytes: count, then each as ``workspace(_:)``.
    mutating func workspaces(_ names: [String]) {
        count(names.count)
        for n in names.sorted(by: String.utf8Less) { workspace(n) }
    }

    mutating func strings(_ list: [String]) {
        count(list.count)
        for s in list { string(s) }
    }

    mutating func optionalInt(_ v: Int?) {
        if let v {
            byte(1)
            int(v)
        } else {
            byte(0)
        }
    }

    mutating func timestamp(_ t: LedgerTimestamp?) {
        if let t {
            byte(1)
            w.writeZigZag(t.microseconds)
        } else {
            byte(0)
        }
    }

    mutating func range(_ r: LumisectionRange) {
        varint(UInt64(r.first))
        varint(UInt64(r.last - r.first))
    }

    /// The canonical bit pattern of a double: -0.0 becomes 0.0.
    static func bits(_ d: Double) -> UInt64 { (d == 0 ? 0.0 : d).bitPattern }
}

/// Reads what ``RowWriter`` wrote, strictly: every read is bounds-checked and a bad value throws.
struct RowReader {
    var r: ByteReader
    let what: String

    mutating func byte() throws(DecodingError) -> UInt8 { try r.readByte() }

    mutating func bool() throws(DecodingError) -> Bool {
        let at = r.offset
        switch try r.readByte() {
        case 0: return false
        case 1: return true
        default: throw DecodingError(.invalidValue, offset: at, detail: "boolean")
        }
    }

    mutating func varint() throws(DecodingError) -> UInt64 { try r.readVarint() }
    mutating func count() throws(DecodingError) -> Int { try r.readLength() }

    mutating func int() throws(DecodingError) -> Int {
        let at = r.offset
        let v = try r.readZigZag()
        guard let i = Int(exactly: v) else { throw DecodingError(.invalidValue, offset: at, detail: "integer") }
        return i
    }

    mutating func nonNegative() throws(DecodingError) -> Int {
        let at = r.offset
        let v = try r.readVarint()
        guard v <= UInt64(Int.max) else { throw DecodingError(.invalidValue, offset: at, detail: "count") }
        return Int(v)
    }

    mutating func string() throws(DecodingError) -> String { try r.readString() }

    /// Reads what ``RowWriter/workspace(_:)`` wrote.
    mutating func workspace() throws(DecodingError) -> String {
        let at = r.offset
        let token = try r.readVarint()
        if token == 0 { return try r.readString() }
        guard token <= UInt64(WorkspaceNames.table.count) else {
            throw DecodingError(.invalidValue, offset: at, detail: "workspace token")
        }
        return WorkspaceNames.table[Int(token) - 1]
    }

    /// Reads what ``RowWriter/workspaces(_:)`` wrote.
    mutating func workspaces() throws(DecodingError) -> [String] {
        let n = try count()
        var out: [String] = []
        out.reserveCapacity(n)
        for _ in 0..<n { out.append(try workspace()) }
        return out
    }

    /// Whether the next workspace token names `name` (given as its token from ``WorkspaceNames/token(_:)``); skips it.
    mutating func skipWorkspace(matching token: WorkspaceNames.Token) throws(DecodingError) -> Bool {
        let t = try r.readVarint()
        if t != 0 { return token.index == Int(truncatingIfNeeded: t) - 1 }
        let length = try r.readLength()
        let raw = try r.readRaw(count: length)
        guard token.index == nil else { return false }
        return raw.elementsEqual(token.bytes)
    }
    mutating func uint64BE() throws(DecodingError) -> UInt64 { try r.readUInt64BigEndian() }

    mutating func uint32BE() throws(DecodingError) -> UInt32 {
        let raw = try r.readRaw(count: 4)
        return UInt32(raw[0]) << 24 | UInt32(raw[1]) << 16 | UInt32(raw[2]) << 8 | UInt32(raw[3])
    }

    mutating func double() throws(DecodingError) -> Double {
        let at = r.offset
        let d = Double(bitPattern: try r.readUInt64BigEndian())
        guard !d.isNaN else { throw DecodingError(.invalidValue, offset: at, detail: "double") }
        return d
    }

    mutating func strings() throws(DecodingError) -> [String] {
        let n = try count()
        var out: [String] = []
        out.reserveCapacity(n)
        for _ in 0..<n { out.append(try string()) }
        return out
    }

    mutating func optionalInt() throws(DecodingError) -> Int? {
        try bool() ? try int() : nil
    }

    mutating func timestamp() throws(DecodingError) -> LedgerTimestamp? {
        try bool() ? LedgerTimestamp(microseconds: try r.readZigZag()) : nil
    }

    mutating func range() throws(DecodingError) -> LumisectionRange {
        let at = r.offset
        let first = try nonNegative()
        let length = try nonNegative()
        guard first >= 1, length <= Int.max - first, let range = try? LumisectionRange(first, first + length) else {
            throw DecodingError(.invalidValue, offset: at, detail: "lumisection range")
        }
        return range
    }

    mutating func status() throws(DecodingError) -> LumisectionStatus {
        let at = r.offset
        let i = Int(try r.readByte())
        guard i < LumisectionStatus.allCases.count else {
            throw DecodingError(.invalidValue, offset: at, detail: "lumisection status")
        }
        return LumisectionStatus.allCases[i]
    }

    /// A workspace state byte (`DatasetWorkspaceState.allCases` order).
    mutating func state() throws(DecodingError) -> DatasetWorkspaceState {
        let at = r.offset
        guard let s = DatasetWorkspaceState.at(try r.readByte()) else {
            throw DecodingError(.invalidValue, offset: at, detail: "workspace state")
        }
        return s
    }

    /// Reads an enum by its raw string.
    mutating func raw<E: RawRepresentable>(_ type: E.Type) throws(DecodingError) -> E where E.RawValue == String {
        let at = r.offset
        guard let v = E(rawValue: try string()) else { throw DecodingError(.invalidValue, offset: at, detail: "\(E.self)") }
        return v
    }

    /// Runs `body` over the start of `bytes`, which must start with `format`; the rest is not read.
    static func prefix<T>(
        _ bytes: [UInt8], format: UInt8, what: String, _ body: (inout RowReader) throws(DecodingError) -> T
    ) throws(ProjectionError) -> T {
        let result = bytes.withUnsafeBytes { raw -> Result<T, DecodingError> in
            do throws(DecodingError) {
                var reader = RowReader(r: ByteReader(raw), what: what)
                guard try reader.byte() == format else {
                    throw DecodingError(.unknownTag, offset: 0, detail: "\(what) row format")
                }
                return .success(try body(&reader))
            } catch {
                return .failure(error)
            }
        }
        switch result {
        case .success(let v): return v
        case .failure(let e): throw ProjectionError(.corruptRow, "a \(what) row does not decode: \(e)")
        }
    }

    /// Runs `body` over `bytes`, which must start with `format` and be read to the end.
    static func decode<T>(
        _ bytes: [UInt8], format: UInt8, what: String, _ body: (inout RowReader) throws(DecodingError) -> T
    ) throws(ProjectionError) -> T {
        let result = bytes.withUnsafeBytes { raw -> Result<T, DecodingError> in
            do throws(DecodingError) {
                var reader = RowReader(r: ByteReader(raw), what: what)
                let at = reader.r.offset
                guard try reader.byte() == format else {
                    throw DecodingError(.unknownTag, offset: at, detail: "\(what) row format")
                }
                let value = try body(&reader)
                guard reader.r.isAtEnd else { throw DecodingError(.trailingBytes, offset: reader.r.offset) }
                return .success(value)
            } catch {
                return .failure(error)
            }
        }
        switch result {
        case .success(let v): return v
        case .failure(let e): throw ProjectionError(.corruptRow, "a \(what) row does not decode: \(e)")
        }
    }
}

/// The frozen table of workspace names that rows write as one byte (format 2); other names are written in full.
///
/// Frozen with the row format: appending is a format change, reordering never.
enum WorkspaceNames {
    static let table = [
        "global", "btag", "castor", "cms", "csc", "ctpps", "dc", "dt", "ecal", "egamma", "gem", "hcal", "hlt", "jetmet",
        "l1t", "lumi", "muon", "rpc", "tau", "tracker",
    ]
    private static let positions: [String: Int] = Dictionary(uniqueKeysWithValues: table.enumerated().map { ($1, $0) })

    static func index(of name: String) -> Int? { positions[name] }

    /// A name prepared for comparison with written tokens.
    struct Token {
        let index: Int?
        let bytes: [UInt8]
    }

    static func token(_ name: String) -> Token { Token(index: index(of: name), bytes: Array(name.utf8)) }
}

extension LumisectionStatus {
    /// The status's position in `allCases`, its byte in rows.
    var index: Int {
        switch self {
        case .good: return 0
        case .bad: return 1
        case .standby: return 2
        case .excluded: return 3
        case .notSet: return 4
        }
    }
}

extension DatasetWorkspaceState {
    /// The state's position in `allCases`.
    var index: Int {
        switch self {
        case .waitingDQMGUI: return 0
        case .open: return 1
        case .notSignificant: return 2
        case .signOff: return 3
        case .completed: return 4
        }
    }

    /// Whether a dataset in this state still needs work in its workspace (an open item of its pass).
    var isOpenItem: Bool { self != .completed && self != .notSignificant }

    /// The state at `index` in `allCases`, nil when out of range.
    static func at(_ index: UInt8) -> DatasetWorkspaceState? {
        switch index {
        case 0: return .waitingDQMGUI
        case 1: return .open
        case 2: return .notSignificant
        case 3: return .signOff
        case 4: return .completed
        default: return nil
        }
    }
}

/// Byte order helpers for `[String]` sorting: by UTF-8 bytes, like the rest of the ledger.
extension String {
    static func utf8Less(_ a: String, _ b: String) -> Bool { a.utf8.lexicographicallyPrecedes(b.utf8) }
}

extension Array where Element == String {
    /// Inserts `s` in a list sorted by UTF-8 bytes, unless present; returns whether it was inserted.
    @discardableResult
    mutating func insertSorted(_ s: String) -> Bool {
        var lo = 0
        var hi = count
        while lo < hi {
            let mid = (lo + hi) >> 1
            if String.utf8Less(self[mid], s) { lo = mid + 1 } else { hi = mid }
        }
        if lo < count && self[lo] == s { return false }
        insert(s, at: lo)
        return true
    }

    /// Removes `s` from a list sorted by UTF-8 bytes; returns whether it was there.
    @discardableResult
    mutating func removeSorted(_ s: String) -> Bool {
        guard let i = firstIndex(of: s) else { return false }
        remove(at: i)
        return true
    }
}
