import Certification
import LedgerCore

/// The pieces of a ``DatasetSummaryView`` row: header and entry bodies, shared by the full encoding and by
/// ``SummaryRow``, which edits single entries in place.
enum SummaryCoding {
    static let components = 0
    static let bits = 1
    static let groups = 2

    static func header(_ v: DatasetSummaryView) -> [UInt8] {
        var w = RowWriter(capacity: 64 + 12 * v.workspaces.count)
        w.varint(UInt64(v.run))
        w.string(v.name)
        w.string(v.passKey)
        w.strings(v.workspaces.sorted(by: String.utf8Less))
        w.optionalInt(v.lumisectionCount)
        w.double(v.recordedLuminosity)
        w.double(v.deliveredLuminosity)
        return w.bytes
    }

    static func readHeader(_ r: inout RowReader) throws(DecodingError) -> DatasetSummaryView {
        let run = try r.nonNegative()
        let name = try r.string()
        let pass = try r.string()
        let workspaces = try r.strings()
        let count = try r.optionalInt()
        let recorded = try r.double()
        let delivered = try r.double()
        return DatasetSummaryView(
            run: run, name: name, passKey: pass, workspaces: workspaces, lumisectionCount: count,
            recordedLuminosity: recorded, deliveredLuminosity: delivered)
    }

    static func writeEntry(key: [UInt8], body: [UInt8], to w: inout RowWriter) {
        let keyed = ByteWriter.varintSize(UInt64(key.count)) + key.count
        w.count(keyed + body.count)
        w.w.writeBytes(key)
        w.w.writeRaw(body)
    }

    static func writeCounts(_ map: [String: Int], to w: inout RowWriter) {
        w.count(map.count)
        if map.count == 1, let (k, v) = map.first {
            w.string(k)
            w.int(v)
            return
        }
        for k in map.keys.sorted(by: String.utf8Less) {
            w.string(k)
            w.int(map[k]!)
        }
    }

    static func readCounts(_ r: inout RowReader) throws(DecodingError) -> [String: Int] {
        let n = try r.count()
        var map: [String: Int] = [:]
        if n > 0 { map.reserveCapacity(n) }
        for _ in 0..<n {
            let k = try r.string()
            map[k] = try r.int()
        }
        return map
    }

    static func writeComponent(_ w: inout RowWriter, _ c: DatasetSummaryView.ComponentSummary) {
        w.int(c.counts.values.0)
        w.int(c.counts.values.1)
        w.int(c.counts.values.2)
        w.int(c.counts.values.3)
        w.int(c.counts.values.4)
        writeCounts(c.commentCounts, to: &w)
        writeCounts(c.causeCounts, to: &w)
    }

    static func readComponent(_ r: inout RowReader) throws(DecodingError) -> DatasetSummaryView.ComponentSummary {
        var counts = StatusCounts()
        counts.values = (try r.int(), try r.int(), try r.int(), try r.int(), try r.int())
        let comments = try readCounts(&r)
        return DatasetSummaryView.ComponentSummary(counts: counts, commentCounts: comments, causeCounts: try readCounts(&r))
    }

    static func writeBits(_ w: inout RowWriter, _ c: BitCounts) {
        w.int(c.trueCount)
        w.int(c.falseCount)
        w.int(c.nullCount)
    }

    static func readBits(_ r: inout RowReader) throws(DecodingError) -> BitCounts {
        BitCounts(trueCount: try r.int(), falseCount: try r.int(), nullCount: try r.int())
    }

    static func writeGroup(_ w: inout RowWriter, _ g: DatasetSummaryView.Certification) {
        w.int(g.flaggedComponents)
        w.double(g.recordedLuminosity)
        Segments.write(g.goodCounts, to: &w) { w, v in w.int(v) }
    }

    static func readGroup(_ r: inout RowReader) throws(DecodingError) -> DatasetSummaryView.Certification {
        let flagged = try r.int()
        let lumi = try r.double()
        let segments = try Segments.read(from: &r) { r throws(DecodingError) in try r.int() }
        return DatasetSummaryView.Certification(goodCounts: segments, flaggedComponents: flagged, recordedLuminosity: lumi)
    }
}

/// A ``DatasetSummaryView`` row opened for editing single entries: it finds entries by key without
/// decoding the others, and rebuilds the row by copying every untouched byte.
///
/// The result is byte-for-byte what ``DatasetSummaryView/encoded()`` gives for the edited value, because
/// both write the same header, the same entries in the same (key-sorted) order.
struct SummaryRow {
    struct Entry {
        var key: Range<Int>
        var body: Range<Int>
        var whole: Range<Int>
    }

    let bytes: [UInt8]
    let what: String
    var lastSequence: UInt64
    let headerRange: Range<Int>
    let sections: [[Entry]]
    private var newHeader: [UInt8]?
    /// Per section, replaced or inserted bodies (nil removes), by key bytes.
    private var edits: [[([UInt8], [UInt8]?)]] = [[], [], []]

    init(_ bytes: [UInt8], what: String) throws(ProjectionError) {
        self.bytes = bytes
        self.what = what
        let parsed = bytes.withUnsafeBytes { raw -> Result<(UInt64, Range<Int>, [[Entry]]), DecodingError> in
            do throws(DecodingError) {
                var r = ByteReader(raw)
                guard try r.readByte() == DatasetSummaryView.format else {
                    throw DecodingError(.unknownTag, offset: 0, detail: "summaries row format")
                }
                let last = try r.readUInt64BigEndian()
                let headerLength = try r.readLength()
                let header = r.offset..<(r.offset + headerLength)
                r.offset += headerLength
                var sections: [[Entry]] = []
                for _ in 0..<3 {
                    let n = try r.readLength()
                    var entries: [Entry] = []
                    entries.reserveCapacity(n)
                    for _ in 0..<n {
                        let start = r.offset
                        let length = try r.readLength()
                        let end = r.offset + length
                        let keyLength = try r.readLength()
                        let key = r.offset..<(r.offset + keyLength)
                        guard key.upperBound <= end else { throw DecodingError(.lengthOutOfBounds, offset: start) }
                        entries.append(Entry(key: key, body: key.upperBound..<end, whole: start..<end))
                        r.offset = end
                    }
                    sections.append(entries)
                }
                guard r.isAtEnd else { throw DecodingError(.trailingBytes, offset: r.offset) }
                return .success((last, header, sections))
            } catch {
                return .failure(error)
            }
        }
        switch parsed {
        case .success(let (last, header, sections)):
            lastSequence = last
            headerRange = header
            self.sections = sections
        case .failure(let e):
            throw ProjectionError(.corruptRow, "the summaries row of \(what) does not decode: \(e)")
        }
    }

    /// Decodes `range` of the row with `body`, which must read it all.
    func decode<T>(_ range: Range<Int>, _ body: (inout RowReader) throws(DecodingError) -> T) throws(ProjectionError) -> T {
        let result = bytes.withUnsafeBytes { raw -> Result<T, DecodingError> in
            do throws(DecodingError) {
                var r = RowReader(r: ByteReader(UnsafeRawBufferPointer(rebasing: raw[range])), what: what)
                let v = try body(&r)
                guard r.r.isAtEnd else { throw DecodingError(.trailingBytes, offset: range.lowerBound + r.r.offset) }
                return .success(v)
            } catch {
                return .failure(error)
            }
        }
        switch result {
        case .success(let v): return v
        case .failure(let e): throw ProjectionError(.corruptRow, "the summaries row of \(what) does not decode: \(e)")
        }
    }

    /// The pass key, read without decoding the rest of the header.
    func passKey() throws(ProjectionError) -> String {
        try decode(headerRange) { r throws(DecodingError) in
            _ = try r.varint()
            try r.r.skipString()
            let pass = try r.string()
            r.r.offset = r.r.buffer.count
            return pass
        }
    }

    /// The header fields (run, name, pass, workspaces, LS count, luminosity sums), without the sections.
    func header() throws(ProjectionError) -> DatasetSummaryView {
        try decode(headerRange, SummaryCoding.readHeader)
    }

    mutating func setHeader(_ view: DatasetSummaryView) { newHeader = SummaryCoding.header(view) }

    /// The index of the entry with `key` in `section`.
    func find(_ section: Int, _ key: [UInt8]) -> Int? {
        let p = position(section, key)
        return p.present ? p.index : nil
    }

    /// Where `key` is, or would be inserted, in `section`.
    func position(_ section: Int, _ key: [UInt8]) -> (index: Int, present: Bool) {
        let entries = sections[section]
        var lo = 0
        var hi = entries.count
        while lo < hi {
            let mid = (lo + hi) >> 1
            let k = bytes[entries[mid].key]
            if k.lexicographicallyPrecedes(key) {
                lo = mid + 1
            } else {
                hi = mid
            }
        }
        return (lo, lo < entries.count && bytes[entries[lo].key].elementsEqual(key))
    }

    /// The keys of a section, as strings.
    func keys(_ section: Int) -> [String] {
        sections[section].map { String(decoding: bytes[$0.key], as: UTF8.self) }
    }

    /// Replaces (or inserts) the body of `key` in `section`; nil removes the entry.
    mutating func set(_ section: Int, _ key: [UInt8], body: [UInt8]?) {
        if let i = edits[section].firstIndex(where: { $0.0 == key }) {
            edits[section][i].1 = body
        } else {
            edits[section].append((key, body))
        }
    }

    /// The edited row's bytes.
    func build() -> [UInt8] {
        var w = RowWriter(format: DatasetSummaryView.format, capacity: bytes.count + 64)
        w.uint64BE(lastSequence)
        if let newHeader {
            w.w.writeBytes(newHeader)
        } else {
            w.count(headerRange.count)
            w.w.writeRaw(bytes[headerRange])
        }
        for s in 0..<3 {
            let entries = sections[s]
            guard !edits[s].isEmpty else {
                w.count(entries.count)
                if let first = entries.first, let last = entries.last {
                    w.w.writeRaw(bytes[first.whole.lowerBound..<last.whole.upperBound])
                }
                continue
            }
            let changes = edits[s].sorted { $0.0.lexicographicallyPrecedes($1.0) }
            var count = entries.count
            var places: [(index: Int, present: Bool)] = []
            places.reserveCapacity(changes.count)
            for (key, body) in changes {
                let place = position(s, key)
                places.append(place)
                if place.present && body == nil { count -= 1 }
                if !place.present && body != nil { count += 1 }
            }
            w.count(count)
            var i = 0
            for (j, (key, body)) in changes.enumerated() {
                let place = places[j]
                if place.index > i {
                    w.w.writeRaw(bytes[entries[i].whole.lowerBound..<entries[place.index - 1].whole.upperBound])
                    i = place.index
                }
                if place.present { i += 1 }
                if let body { SummaryCoding.writeEntry(key: key, body: body, to: &w) }
            }
            if i < entries.count {
                w.w.writeRaw(bytes[entries[i].whole.lowerBound..<entries[entries.count - 1].whole.upperBound])
            }
        }
        return w.bytes
    }
}
