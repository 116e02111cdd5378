public import LedgerCore

/// A consistent, read-only view of the log at one moment.
///
/// - Important: A snapshot is valid only inside the ``EventLog/read(_:)`` closure that received it.
public struct LogSnapshot {
    let transaction: Transaction
    let log: EventLog
    private let frameCache = FrameCache()

    init(transaction: Transaction, log: EventLog) {
        self.transaction = transaction
        self.log = log
    }

    private var dbs: Databases { transaction.databases }

    /// The head of the log in this snapshot.
    public var head: LogHead {
        get throws {
            guard let raw = try transaction.get(dbs.meta, key: MetaKey.head) else {
                return LogHead(sequence: 0, link: .genesis, recordedAt: nil)
            }
            guard raw.count == 48 else { throw LedgerError(.corruption, "the head record has \(raw.count) bytes, not 48") }
            return raw.withUnsafeBytes { r in
                LogHead(
                    sequence: BigEndianKey.read(r, at: 0),
                    link: ChainHash(raw: UnsafeRawBufferPointer(start: r.baseAddress! + 16, count: 32))!,
                    recordedAt: LedgerTimestamp(microseconds: BigEndianKey.time(fromKey: BigEndianKey.read(r, at: 8))))
            }
        }
    }

    /// The event with sequence `sequence`, or nil when the log has no such event.
    public func event(at sequence: UInt64) throws -> RecordedEvent? {
        guard sequence > 0 else { return nil }
        return try withCanonicalEvent(at: sequence) { bytes in try decode(bytes, expected: sequence) }
    }

    /// Calls `body` with each event from `first` through `last` (inclusive), in sequence order,
    /// until `body` returns false.
    public func forEachEvent(
        from first: UInt64, through last: UInt64 = .max, _ body: (RecordedEvent) throws -> Bool
    ) throws {
        try forEachCanonicalEvent(from: first, through: last) { seq, bytes in
            try body(try decode(bytes, expected: seq))
        }
    }

    /// Up to `limit` events from sequence `first` on, in order: the batched forward read.
    public func events(from first: UInt64, limit: Int) throws -> [RecordedEvent] {
        var out: [RecordedEvent] = []
        guard limit > 0 else { return out }
        out.reserveCapacity(min(limit, 4096))
        try forEachEvent(from: max(first, 1)) { event in
            out.append(event)
            return out.count < limit
        }
        return out
    }

    /// The last version of `stream`, 0 when the stream does not exist.
    public func streamVersion(_ stream: String) throws -> UInt64 {
        try streamState(stream)?.version ?? 0
    }

    /// The stream's number and last version, or nil when it does not exist.
    ///
    /// The number comes from `streams`; the last version is the last duplicate of the stream in
    /// `stream_index`, so appends never rewrite the `streams` entry.
    func streamState(_ stream: String) throws -> (number: UInt64, version: UInt64)? {
        var s = stream
        let number = try s.withUTF8 { key in
            try transaction.get(dbs.streams, key: UnsafeRawBufferPointer(key)) { v in BigEndianKey.read(v, at: 0) }
        }
        guard let number else { return nil }
        let version = try transaction.withCursor(dbs.streamIndex) { cursor -> UInt64 in
            try BigEndianKey.with(number) { key in
                guard try cursor.move(.exact(key), { _, _ in () }) != nil else { return 0 }
                return try cursor.move(.lastDuplicate) { _, v in BigEndianKey.read(v, at: 0) } ?? 0
            }
        }
        return (number, version)
    }

    /// The sequences of `stream` from version `fromVersion` on, at most `limit` of them.
    public func streamSequences(_ stream: String, fromVersion: UInt64 = 1, limit: Int = .max) throws -> [(
        version: UInt64, sequence: UInt64
    )] {
        guard let state = try streamState(stream), limit > 0 else { return [] }
        var out: [(UInt64, UInt64)] = []
        try transaction.withCursor(dbs.streamIndex) { cursor in
            try BigEndianKey.with(state.number) { key in
                try BigEndianKey.with(max(fromVersion, 1), 0) { value in
                    var found = try cursor.move(.duplicateAtOrAfter(key: key, value: value)) { _, v in
                        (BigEndianKey.read(v, at: 0), BigEndianKey.read(v, at: 8))
                    }
                    while let entry = found, out.count < limit {
                        out.append(entry)
                        found = try cursor.move(.nextDuplicate) { _, v in
                            (BigEndianKey.read(v, at: 0), BigEndianKey.read(v, at: 8))
                        }
                    }
                }
            }
        }
        return out
    }

    /// The events of `stream` from version `fromVersion` on, at most `limit` of them.
    public func streamEvents(_ stream: String, fromVersion: UInt64 = 1, limit: Int = .max) throws -> [RecordedEvent] {
        try streamSequences(stream, fromVersion: fromVersion, limit: limit).map { entry in
            guard let e = try event(at: entry.sequence) else {
                throw LedgerError(
                    .corruption, "the stream index points '\(stream)' v\(entry.version) at missing sequence \(entry.sequence)")
            }
            return e
        }
    }

    /// The ids of every stream whose id starts with `prefix`, in byte order, at most `limit`.
    public func streamIDs(prefix: String, limit: Int = .max) throws -> [String] {
        var out: [String] = []
        var p = prefix
        try p.withUTF8 { prefixBytes in
            try transaction.withCursor(dbs.streams) { cursor in
                let raw = UnsafeRawBufferPointer(prefixBytes)
                var key = try cursor.move(raw.isEmpty ? .first : .atOrAfter(raw)) { k, _ in Array(k) }
                while let k = key, k.starts(with: raw), out.count < limit {
                    out.append(String(decoding: k, as: UTF8.self))
                    key = try cursor.move(.next) { k, _ in Array(k) }
                }
            }
        }
        return out
    }

    /// The sequences appended by `actor` within `range`, ascending, at most `limit`.
    public func actorSequences(_ actor: String, in range: ClosedRange<UInt64> = 1...UInt64.max, limit: Int = .max) throws
        -> [UInt64]
    {
        var out: [UInt64] = []
        var a = actor
        guard !actor.isEmpty, limit > 0 else { return out }
        try a.withUTF8 { actorBytes in
            try transaction.withCursor(dbs.actorIndex) { cursor in
                try BigEndianKey.with(range.lowerBound) { from in
                    var seq = try cursor.move(.duplicateAtOrAfter(key: UnsafeRawBufferPointer(actorBytes), value: from)) {
                        _, v in BigEndianKey.read(v)
                    }
                    while let s = seq, s <= range.upperBound, out.count < limit {
                        out.append(s)
                        seq = try cursor.move(.nextDuplicate) { _, v in BigEndianKey.read(v) }
                    }
                }
            }
        }
        return out
    }

    /// The events appended by `actor` within `range`, at most `limit`.
    public func actorEvents(_ actor: String, in range: ClosedRange<UInt64> = 1...UInt64.max, limit: Int = .max) throws
        -> [RecordedEvent]
    {
        try actorSequences(actor, in: range, limit: limit).compactMap { try event(at: $0) }
    }

    /// Every actor that has appended events, in byte order.
    public func actors() throws -> [String] {
        var out: [String] = []
        try transaction.withCursor(dbs.actorIndex) { cursor in
            var key = try cursor.move(.first) { k, _ in String(decoding: k, as: UTF8.self) }
            while let k = key {
                out.append(k)
                key = try cursor.move(.nextKey) { k, _ in String(decoding: k, as: UTF8.self) }
            }
        }
        return out
    }

    /// The last sequence recorded at or before `time`: the log "as of" that moment (0 if none).
    ///
    /// - Complexity: one B-tree seek in the time index.
    public func sequence(atOrBefore time: LedgerTimestamp) throws -> UInt64 {
        let head = try self.head
        guard head.sequence > 0 else { return 0 }
        if time.microseconds == .max { return head.sequence }
        let next = try transaction.withCursor(dbs.timeIndex) { cursor in
            try BigEndianKey.with(BigEndianKey.timeKey(time.microseconds + 1)) { key in
                try cursor.move(.atOrAfter(key)) { _, v in BigEndianKey.read(v) }
            }
        }
        guard let firstAfter = next else { return head.sequence }
        return firstAfter - 1
    }

    /// The idempotency record for `key`: the batch's first sequence and event count.
    public func idempotencyRecord(_ key: String) throws -> (firstSequence: UInt64, count: UInt64)? {
        var k = key
        return try k.withUTF8 { bytes in
            try transaction.get(dbs.idempotency, key: UnsafeRawBufferPointer(bytes)) { v in
                (BigEndianKey.read(v, at: 0), BigEndianKey.read(v, at: 8))
            }
        }
    }

    // MARK: - Frames

    /// Calls `body` with each event's sequence and canonical bytes from `first` through `last`.
    func forEachCanonicalEvent(
        from first: UInt64, through last: UInt64, _ body: (UInt64, UnsafeRawBufferPointer) throws -> Bool
    ) throws {
        guard first <= last else { return }
        var raw: [UInt8] = []
        try transaction.withCursor(dbs.events) { cursor in
            var current = try positionAtFrame(containing: max(first, 1), cursor: cursor)
            while let (key, header, value) = current {
                if key > last { return }
                try decompressFrame(value: value, header: header, into: &raw)
                var keepGoing = true
                try raw.withUnsafeBytes { rawBytes in
                    try FrameEvents.forEach(raw: rawBytes, count: header.eventCount) { index, bytes in
                        let seq = key + UInt64(index)
                        guard keepGoing, seq >= first, seq <= last else { return }
                        keepGoing = try body(seq, bytes)
                    }
                }
                if !keepGoing || key + UInt64(header.eventCount) > last { return }
                current = try cursor.move(.next) { k, v in (BigEndianKey.read(k), try FrameHeader.parse(v), v) }
            }
        }
    }

    private func positionAtFrame(containing sequence: UInt64, cursor: Cursor) throws -> (
        UInt64, FrameHeader, UnsafeRawBufferPointer
    )? {
        let exact = try BigEndianKey.with(sequence) { key in
            try cursor.move(.atOrAfter(key)) { k, v in (BigEndianKey.read(k), try FrameHeader.parse(v), v) }
        }
        if let exact, exact.0 == sequence { return exact }
        let previous = try cursor.move(exact == nil ? .last : .previous) { k, v in
            (BigEndianKey.read(k), try FrameHeader.parse(v), v)
        }
        if let previous, sequence < previous.0 + UInt64(previous.1.eventCount) { return previous }
        if let exact {
            _ = try cursor.move(.next) { _, _ in () }
            return exact
        }
        return nil
    }

    private func withCanonicalEvent<T>(at sequence: UInt64, _ body: (UnsafeRawBufferPointer) throws -> T) throws -> T? {
        if let cached = frameCache.lookup(sequence) {
            return try cached.raw.withUnsafeBytes { raw in try locate(sequence - cached.key, in: raw, count: cached.count, body) }
        }
        return try transaction.withCursor(dbs.events) { cursor -> T? in
            guard let (key, header, value) = try positionAtFrame(containing: sequence, cursor: cursor),
                sequence >= key, sequence < key + UInt64(header.eventCount)
            else { return nil }
            var raw: [UInt8] = []
            try decompressFrame(value: value, header: header, into: &raw)
            frameCache.store(key: key, count: header.eventCount, raw: raw)
            return try raw.withUnsafeBytes { r in try locate(sequence - key, in: r, count: header.eventCount, body) }
        }
    }

    private func locate<T>(
        _ index: UInt64, in raw: UnsafeRawBufferPointer, count: Int, _ body: (UnsafeRawBufferPointer) throws -> T
    ) throws -> T? {
        var result: T?
        try FrameEvents.forEach(raw: raw, count: count) { i, bytes in
            if UInt64(i) == index { result = try body(bytes) }
        }
        return result
    }

    func decompressFrame(value: UnsafeRawBufferPointer, header: FrameHeader, into raw: inout [UInt8]) throws {
        let dictionary = try log.dictionaries.dictionary(header.dictionaryID, in: transaction, level: log.options.compressionLevel)
        let payload = UnsafeRawBufferPointer(rebasing: value[header.payloadOffset...])
        try log.decompressors.with { d in
            try d.decompress(payload, expectedSize: header.rawLength, dictionary: dictionary, into: &raw)
        }
    }

    private func decode(_ bytes: UnsafeRawBufferPointer, expected sequence: UInt64) throws -> RecordedEvent {
        let event: RecordedEvent
        do {
            event = try CanonicalEventCodec.decode(bytes)
        } catch {
            throw LedgerError(.corruption, "event \(sequence) does not decode: \(error)", sequence: sequence)
        }
        guard event.sequence == sequence else {
            throw LedgerError(
                .corruption, "the frame slot for sequence \(sequence) holds sequence \(event.sequence)", sequence: sequence)
        }
        return event
    }
}

/// The last decompressed frame of a snapshot, so that neighbouring reads do not decompress again.
final class FrameCache {
    var key: UInt64 = 0
    var count = 0
    var raw: [UInt8] = []

    func lookup(_ sequence: UInt64) -> (key: UInt64, count: Int, raw: [UInt8])? {
        guard count > 0, sequence >= key, sequence < key + UInt64(count) else { return nil }
        return (key, count, raw)
    }

    func store(key: UInt64, count: Int, raw: [UInt8]) {
        self.key = key
        self.count = count
        self.raw = raw
    }
}

extension LogSnapshot {
    /// The chain link after event `sequence` (``ChainHash/genesis`` for 0): the hash a result
    /// computed "as of" that sequence can be pinned to.
    ///
    /// - Complexity: one frame seek and hashing at most one frame's events.
    public func link(at sequence: UInt64) throws -> ChainHash {
        let head = try self.head
        guard sequence > 0 else { return .genesis }
        guard sequence <= head.sequence else {
            throw LedgerError(.notFound, "sequence \(sequence) is beyond the log's head \(head.sequence)")
        }
        if sequence == head.sequence { return head.link }
        // The link before the frame holding `sequence` is the previous frame's end link.
        let (frameKey, startLink) = try transaction.withCursor(transaction.databases.events) { cursor -> (UInt64, ChainHash) in
            let found = try BigEndianKey.with(sequence) { key in
                try cursor.move(.atOrAfter(key)) { k, _ in BigEndianKey.read(k) }
            }
            var key: UInt64
            if let found, found == sequence {
                key = found
            } else {
                key = try cursor.move(found == nil ? .last : .previous) { k, _ in BigEndianKey.read(k) } ?? 1
            }
            let previous = try BigEndianKey.with(key) { k in
                _ = try cursor.move(.atOrAfter(k)) { _, _ in () }
                return try cursor.move(.previous) { _, v in try FrameHeader.parse(v).endLink }
            }
            return (key, previous ?? .genesis)
        }
        var link = startLink
        try forEachCanonicalEvent(from: frameKey, through: sequence) { _, bytes in
            link = link.next(bytes)
            return true
        }
        return link
    }
}
