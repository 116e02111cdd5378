import LedgerCore

/// Measures the storage layouts we considered, on the same canonical records, for design decisions.
///
/// Each figure is the estimated stored bytes per event in the `events` database: compressed bytes,
/// plus the 32-byte chain link and the frame header, plus LMDB's per-entry cost (8-byte key, 8-byte
/// node header, 2-byte slot pointer), divided by the events each entry holds.
public enum CompressionStudy {
    /// One layout's result.
    public struct Figure: Sendable {
        /// A short name, e.g. `frame64_dict`.
        public var layout: String
        /// Estimated stored bytes per event.
        public var bytesPerEvent: Double
        /// Compressed payload bytes per event, without link, header or LMDB overhead.
        public var compressedBytesPerEvent: Double
    }

    static let lmdbEntryOverhead = 18.0
    static let linkBytes = 32.0

    /// Trains a dictionary on the first `trainingCount` records and measures every layout on the rest.
    public static func measure(records: [[UInt8]], trainingCount: Int = 20_000, level: Int32 = 1) throws -> [Figure] {
        let training = Array(records.prefix(trainingCount))
        let testSet = Array(records.dropFirst(min(trainingCount, records.count / 2)))
        guard !testSet.isEmpty else { return [] }
        let dictionaryBytes = try ZstdDictionary.train(samples: training, capacity: 16 << 10)
        let dictionary = try ZstdDictionary(id: 1, bytes: dictionaryBytes, level: level)
        let compressor = ZstdCompressor(level: level)
        var figures: [Figure] = []
        for useDictionary in [false, true] {
            var total = 0
            var out: [UInt8] = []
            for record in testSet {
                out.removeAll(keepingCapacity: true)
                try record.withUnsafeBytes { try compressor.compress($0, dictionary: useDictionary ? dictionary : nil, into: &out) }
                total += out.count
            }
            let compressed = Double(total) / Double(testSet.count)
            figures.append(
                Figure(
                    layout: useDictionary ? "record_dict" : "record_nodict",
                    bytesPerEvent: compressed + linkBytes + 2 + lmdbEntryOverhead, compressedBytesPerEvent: compressed))
        }
        for frameSize in [16, 64, 256] {
            for useDictionary in [false, true] {
                var total = 0
                var frames = 0
                var out: [UInt8] = []
                var index = 0
                while index < testSet.count {
                    var raw: [UInt8] = []
                    for record in testSet[index..<min(index + frameSize, testSet.count)] {
                        ByteWriter.appendVarint(UInt64(record.count), to: &raw)
                        raw.append(contentsOf: record)
                    }
                    out.removeAll(keepingCapacity: true)
                    try raw.withUnsafeBytes { try compressor.compress($0, dictionary: useDictionary ? dictionary : nil, into: &out) }
                    total += out.count
                    frames += 1
                    index += frameSize
                }
                let compressed = Double(total) / Double(testSet.count)
                let perFrame = (linkBytes + 6 + lmdbEntryOverhead) * Double(frames) / Double(testSet.count)
                figures.append(
                    Figure(
                        layout: "frame\(frameSize)_\(useDictionary ? "dict" : "nodict")",
                        bytesPerEvent: compressed + perFrame, compressedBytesPerEvent: compressed))
            }
        }
        return figures
    }
}
