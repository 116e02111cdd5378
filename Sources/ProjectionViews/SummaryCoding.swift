import Certification
import LedgerCore

/// The bodies of the `componentSummaries` and `certifications` rows of a ``DatasetSummaryView``.
enum SummaryCoding {
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

