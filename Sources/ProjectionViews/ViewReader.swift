/// Reads the latest stored value of a row, as the runtime's write transaction sees it (including
/// the updates of this batch's earlier events).
///
/// The runtime implements it over its view store; tests use a dictionary.
public protocol ViewReader {
    /// The latest value of `key`, or nil when the row does not exist (or was deleted).
    func latest(_ key: ViewKey) throws -> [UInt8]?
}

/// One new version of one row; a nil value deletes the row at this version.
public struct ViewUpdate: Sendable, Hashable {
    /// The row.
    public var key: ViewKey
    /// The row's new encoded value, or nil for a deletion.
    public var value: [UInt8]?

    /// Creates an update.
    public init(key: ViewKey, value: [UInt8]?) {
        self.key = key
        self.value = value
    }
}

/// The rows one event changes, read through to the runtime's reader.
///
/// Reads see this event's own earlier writes; each key is written at most once in the result,
/// in the order it was first written, so ``CertificationProjection/apply(_:reader:)`` stays deterministic.
struct RowChanges {
    let reader: any ViewReader
    private(set) var keys: [ViewKey] = []
    private(set) var values: [[UInt8]?] = []

    init(reader: any ViewReader) {
        self.reader = reader
    }

    func read(_ key: ViewKey) throws -> [UInt8]? {
        // A linear scan: an event writes a handful of rows (more only for run-wide recomputations).
        if let i = keys.firstIndex(of: key) { return values[i] }
        return try reader.latest(key)
    }

    mutating func write(_ key: ViewKey, _ value: [UInt8]?) {
        if let i = keys.firstIndex(of: key) {
            values[i] = value
        } else {
            keys.append(key)
            values.append(value)
        }
    }

    var updates: [ViewUpdate] { zip(keys, values).map { ViewUpdate(key: $0, value: $1) } }
}
