public import LedgerCore
public import LedgerStorage

/// The retention of old view versions: by default every version is kept; an operator may give up
/// the versions before a sequence (the retention floor), after which as-of reads before it are refused.
public enum ViewRetention {
    static let floorKey = "retention-floor"

    /// The first sequence whose as-of reads are still exact (0 while every version is kept).
    public static func floor(_ store: ViewStore) throws -> UInt64 {
        try store.read { s in decode(try s.meta(floorKey)) }
    }

    /// The floor from its meta value (8 bytes, big-endian); 0 when absent.
    private static func decode(_ bytes: [UInt8]?) -> UInt64 {
        guard let bytes, bytes.count == 8 else { return 0 }
        return bytes.reduce(0) { $0 << 8 | UInt64($1) }
    }

    /// Deletes, in every given namespace, each entity's versions older than its newest one at or before
    /// `sequence`, and raises the floor to `sequence` in the same transaction. Returns the versions deleted.
    @discardableResult
    public static func prune(_ store: ViewStore, namespaces: [UInt8], before sequence: UInt64) throws -> Int {
        try store.write { w in
            var deleted = 0
            for namespace in Set(namespaces).sorted() {
                deleted += try w.pruneVersions(namespace: namespace, before: sequence)
            }
            let floor = max(decode(try w.meta(floorKey)), sequence)
            try w.setMeta(floorKey, (0..<8).map { UInt8(truncatingIfNeeded: floor >> (56 - 8 * $0)) })
            return deleted
        }
    }

    /// Lowers the floor to 0 again: every version is back after a full rebuild from the log.
    public static func reset(_ store: ViewStore) throws {
        try store.write { w in try w.setMeta(floorKey, [UInt8](repeating: 0, count: 8)) }
    }

    /// Throws `notFound` when `sequence` lies before the floor, naming the first version still readable.
    public static func check(_ sequence: UInt64, floor: UInt64) throws(LedgerError) {
        guard sequence >= floor || floor == 0 else {
            throw LedgerError(
                .notFound,
                "version \(sequence) is before the retention floor \(floor): the view versions before it were pruned "
                    + "(runledger projections prune); ask for \(floor) or later, or rebuild the views to read older versions")
        }
    }
}
