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
/// Reads see this event's own earlier writes and are cached, so a row read twice is fetched once.
/// Each key is written at most once in the result, in the order it was first written, so
/// ``CertificationProjection/apply(_:reader:)`` stays deterministic; a write whose bytes equal the
/// stored row (or a deletion of a missing row) is left out.
struct RowChanges {
    let reader: any ViewReader
    /// Rows touched so far: the stored value (`.none` when not read yet) and the written one (`.none` when not written).
    private var keys: [ViewKey] = []
    private var stored: [[UInt8]??] = []
    private var written: [[UInt8]??] = []

    init(reader: any ViewReader) {
        self.reader = reader
    }

    private func index(_ key: ViewKey) -> Int? {
        // A linear scan: an event touches a handful of rows (more only for run-wide recomputations).
        var i = keys.count - 1
        while i >= 0 {
            if keys[i] == key { return i }
            i -= 1
        }
        return nil
    }

    mutating func read(_ key: ViewKey) throws -> [UInt8]? {
        if let i = index(key) {
            if case .some(let v) = written[i] { return v }
            if case .some(let v) = stored[i] { return v }
            let v = try reader.latest(key)
            stored[i] = .some(v)
            return v
        }
        let v = try reader.latest(key)
        keys.append(key)
        stored.append(.some(v))
        written.append(.none)
        return v
    }

    mutating func write(_ key: ViewKey, _ value: [UInt8]?) {
        if let i = index(key) {
            written[i] = .some(value)
        } else {
            keys.append(key)
            stored.append(.none)
            written.append(.some(value))
        }
    }

    /// The changed rows, in the order they were first touched; unchanged ones are left out.
    mutating func updates() throws -> [ViewUpdate] {
        var out: [ViewUpdate] = []
        out.reserveCapacity(keys.count)
        for i in keys.indices {
            guard case .some(let value) = written[i] else { continue }
            let before: [UInt8]?
            if case .some(let v) = stored[i] { before = v } else { before = try reader.latest(keys[i]) }
            if before == value { continue }
            out.append(ViewUpdate(key: keys[i], value: value))
        }
        return out
    }
}
