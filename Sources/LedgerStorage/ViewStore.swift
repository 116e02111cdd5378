import Foundation
import LedgerCore

/// The projections' storage: versioned rows in a second LMDB environment beside the log.
///
/// Every row is stored once per version: key `namespace ‖ view ‖ escaped entity ‖ 00 01 ‖ version
/// (u64 BE)`, value `tag ‖ bytes` (tag 1 = present, 0 = deleted at this version). The entity is
/// escaped order-preservingly (a 00 byte becomes 00 FF), so keys sort by entity bytes, then
/// version, and entity-prefix scans are range scans. The
/// version is the log sequence at which the row changed, so reading "as of" sequence S is one
/// B-tree seek to the entity's last version ≤ S. A projection's rows and its checkpoint are
/// written in one transaction. Namespaces (one byte) separate projection versions, so a new
/// version is rebuilt beside the served one (blue/green).
public final class ViewStore: @unchecked Sendable {
    let env: LMDBEnvironment

    /// The directory of the views environment.
    public var directory: String { env.path }

    private init(env: LMDBEnvironment) {
        self.env = env
    }

    /// Opens (creating if needed) the views environment in `directory`.
    public static func open(directory: String, readOnly: Bool = false, initialMapSize: Int = 1 << 30) throws -> ViewStore {
        if readOnly {
            guard FileManager.default.fileExists(atPath: directory + "/data.mdb") else {
                throw LedgerError(.notFound, "no projection views in '\(directory)'; run `runledger rebuild` first")
            }
        } else {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
        return ViewStore(
            env: try LMDBEnvironment(path: directory, mapSize: initialMapSize, readOnly: readOnly, layout: .views))
    }

    /// Runs `body` in one write transaction on the calling thread; commits when it returns.
    ///
    /// - Important: `body` must not `await`; the transaction begins and commits on this thread.
    public func write<T>(_ body: (ViewWriter) throws -> T) throws -> T {
        try env.write { txn in try body(ViewWriter(txn: txn)) }
    }

    /// Runs `body` on a consistent snapshot of every view.
    public func read<T>(_ body: (ViewSnapshot) throws -> T) throws -> T {
        try env.read { txn in try body(ViewSnapshot(txn: txn)) }
    }

    /// The memory-map size in bytes.
    public var mapSize: Int { env.mapSize }

    /// Bytes used by the rows database's pages.
    public func rowBytes() throws -> Int {
        let pages = try env.pageStatistics(names: [("rows", env.databases.rows)])
        return pages["rows"]?.bytes ?? 0
    }
}

/// Escapes entity bytes order-preservingly: 00 becomes 00 FF.
func escapeViewEntity(_ entity: [UInt8], into out: inout [UInt8]) {
    for b in entity {
        out.append(b)
        if b == 0 { out.append(0xFF) }
    }
}

/// The row-key prefix of one entity: namespace, view, escaped entity, terminator 00 01.
func viewRowPrefix(namespace: UInt8, view: UInt8, entity: [UInt8]) -> [UInt8] {
    var key: [UInt8] = [namespace, view]
    key.reserveCapacity(entity.count + 12)
    escapeViewEntity(entity, into: &key)
    key.append(0)
    key.append(1)
    return key
}

/// Splits a row key into its unescaped entity and version; nil for a malformed key.
func parseViewRowKey(_ key: [UInt8]) -> (entity: [UInt8], version: UInt64)? {
    guard key.count >= 12 else { return nil }
    let end = key.count - 8
    guard key[end - 2] == 0, key[end - 1] == 1 else { return nil }
    var entity: [UInt8] = []
    entity.reserveCapacity(end - 4)
    var i = 2
    while i < end - 2 {
        entity.append(key[i])
        if key[i] == 0 { i += 1 }
        i += 1
    }
    let version = key.withUnsafeBytes { BigEndianKey.read($0, at: end) }
    return (entity, version)
}

/// Reads that both snapshots and writers offer.
public protocol ViewRowReading {
    /// The value of a row as of `version` (the latest when nil): (version it was written at, bytes,
    /// nil when deleted), or nil when the row did not exist then.
    func row(namespace: UInt8, view: UInt8, entity: [UInt8], asOf version: UInt64?) throws -> (version: UInt64, value: [UInt8]?)?
}

/// Reads that both snapshots and writers offer, with entity-prefix scans.
public protocol ViewRowScanning: ViewRowReading {
    /// Calls `body` with each entity of `view` whose key starts with `entityPrefix`, with its value
    /// as of `version` (the latest when nil; entities that did not exist or were deleted then are
    /// skipped), in key order, until `body` returns false.
    func scan(
        namespace: UInt8, view: UInt8, entityPrefix: [UInt8], asOf version: UInt64?,
        _ body: (_ entity: [UInt8], _ version: UInt64, _ value: [UInt8]) throws -> Bool
    ) throws
}

extension Transaction {
    /// The entity-prefix scan behind ``ViewRowScanning/scan(namespace:view:entityPrefix:asOf:_:)``.
    ///
    /// Walks an entity's versions while they are few; after a handful, or at the first version
    /// beyond the limit, it seeks: to the entity's last version at or before the limit, then past
    /// the entity (`escaped entity ‖ 00 02` sorts after every version of it and before every other
    /// entity). So an entity costs O(log n) however many versions it has.
    func scanViewRows(
        namespace: UInt8, view: UInt8, entityPrefix: [UInt8], asOf version: UInt64?,
        _ body: (_ entity: [UInt8], _ version: UInt64, _ value: [UInt8]) throws -> Bool
    ) throws {
        let limit = version ?? .max
        var start: [UInt8] = [namespace, view]
        escapeViewEntity(entityPrefix, into: &start)
        let walkBeforeSeeking = 4
        try withCursor(databases.rows) { cursor in
            // Keys and values point into the map and stay valid while nothing is written, so
            // superseded versions are skipped without copying; only each entity's answer is copied.
            var candidate: (key: UnsafeRawBufferPointer, version: UInt64, value: UnsafeRawBufferPointer)? = nil
            var keepGoing = true
            func emit() throws {
                defer { candidate = nil }
                guard let c = candidate, c.value.first == 1, let (entity, _) = parseViewRowKey(Array(c.key)) else { return }
                keepGoing = try body(entity, c.version, Array(c.value.dropFirst()))
            }
            /// The key just past every version of the entity whose prefix (ending 00 01) is given.
            func pastEntity(_ entityPart: UnsafeRawBufferPointer) -> [UInt8] {
                var next = Array(entityPart)
                next[next.count - 1] = 2
                return next
            }
            var entry = try start.withUnsafeBytes { key in try cursor.move(.atOrAfter(key)) { k, v in (k, v) } }
            var currentEntityKey: UnsafeRawBufferPointer? = nil
            var walked = 0
            while keepGoing, let (k, v) = entry, k.count >= start.count + 10, k.starts(with: start) {
                let entityPart = UnsafeRawBufferPointer(rebasing: k[0..<(k.count - 8)])
                if let current = currentEntityKey, !current.elementsEqual(entityPart) {
                    try emit()
                    guard keepGoing else { break }
                    walked = 0
                }
                currentEntityKey = entityPart
                let ver = BigEndianKey.read(k, at: k.count - 8)
                if ver > limit {
                    // Versions ascend: the rest of this entity is beyond the limit.
                    let past = pastEntity(entityPart)
                    entry = try past.withUnsafeBytes { key in try cursor.move(.atOrAfter(key)) { k, v in (k, v) } }
                    continue
                }
                candidate = (k, ver, v)
                walked += 1
                if walked >= walkBeforeSeeking {
                    // Many versions: seek to the last one at or before the limit, then past the entity.
                    var seek = Array(entityPart)
                    seek.append(contentsOf: BigEndianKey.bytes(limit))
                    let atOrAfter = try seek.withUnsafeBytes { key in
                        try cursor.move(.atOrAfter(key)) { k, v in (k.elementsEqual(seek), k, v) }
                    }
                    let found: (UnsafeRawBufferPointer, UnsafeRawBufferPointer)?
                    if let (isExact, ek, ev) = atOrAfter, isExact {
                        found = (ek, ev)
                    } else {
                        found = try cursor.move(atOrAfter == nil ? .last : .previous) { k, v in (k, v) }
                    }
                    if let (fk, fv) = found, fk.count == k.count, fk.starts(with: entityPart) {
                        candidate = (fk, BigEndianKey.read(fk, at: fk.count - 8), fv)
                    }
                    let past = pastEntity(entityPart)
                    entry = try past.withUnsafeBytes { key in try cursor.move(.atOrAfter(key)) { k, v in (k, v) } }
                    continue
                }
                entry = try cursor.move(.next) { k, v in (k, v) }
            }
            if keepGoing { try emit() }
        }
    }

    func viewRow(namespace: UInt8, view: UInt8, entity: [UInt8], asOf version: UInt64?) throws -> (
        version: UInt64, value: [UInt8]?
    )? {
        let prefix = viewRowPrefix(namespace: namespace, view: view, entity: entity)
        let limit = version ?? .max
        var seek = prefix
        seek.append(contentsOf: BigEndianKey.bytes(limit))
        func decode(_ k: UnsafeRawBufferPointer, _ v: UnsafeRawBufferPointer) -> (UInt64, [UInt8]?)? {
            guard k.count == prefix.count + 8, k.starts(with: prefix) else { return nil }
            let ver = BigEndianKey.read(k, at: prefix.count)
            guard let tag = v.first, tag == 1 else { return (ver, nil) }
            return (ver, Array(v.dropFirst()))
        }
        return try withCursor(databases.rows) { cursor in
            // The first key at or after (entity, limit): an exact hit is the answer; otherwise the
            // entry before it is the entity's last version below the limit, if it is this entity's.
            let atOrAfter = try seek.withUnsafeBytes { key in
                try cursor.move(.atOrAfter(key)) { k, v in (k.elementsEqual(seek), decode(k, v)) }
            }
            if let (isExact, decoded) = atOrAfter, isExact { return decoded }
            let before = try cursor.move(atOrAfter == nil ? .last : .previous) { k, v in decode(k, v) }
            return before ?? nil
        }
    }
}

/// A consistent read-only view of every projection's rows; valid only inside ``ViewStore/read(_:)``.
public struct ViewSnapshot: ViewRowScanning {
    let txn: Transaction

    public func row(namespace: UInt8, view: UInt8, entity: [UInt8], asOf version: UInt64?) throws -> (
        version: UInt64, value: [UInt8]?
    )? {
        try txn.viewRow(namespace: namespace, view: view, entity: entity, asOf: version)
    }

    public func scan(
        namespace: UInt8, view: UInt8, entityPrefix: [UInt8] = [], asOf version: UInt64?,
        _ body: (_ entity: [UInt8], _ version: UInt64, _ value: [UInt8]) throws -> Bool
    ) throws {
        try txn.scanViewRows(namespace: namespace, view: view, entityPrefix: entityPrefix, asOf: version, body)
    }

    /// The last sequence `projection` applied (0 when it never ran).
    public func checkpoint(_ projection: String) throws -> UInt64 {
        try txn.get(txn.databases.checkpoints, key: Array(projection.utf8)).map { $0.withUnsafeBytes { BigEndianKey.read($0) } }
            ?? 0
    }

    /// A metadata value.
    public func meta(_ key: String) throws -> [UInt8]? {
        try txn.get(txn.databases.meta, key: Array(key.utf8))
    }

    /// Every version at which some row of `view` was written, ascending and without repeats.
    ///
    /// It walks every key of the view (one cursor step per stored version), so it suits views of
    /// thousands of rows, such as a certification JSON's rows, not the largest views.
    public func versions(namespace: UInt8, view: UInt8) throws -> [UInt64] {
        var found = Set<UInt64>()
        let start: [UInt8] = [namespace, view]
        try txn.withCursor(txn.databases.rows) { cursor in
            var entry = try start.withUnsafeBytes { key in try cursor.move(.atOrAfter(key)) { k, _ in k } }
            while let k = entry, k.count >= start.count + 10, k.starts(with: start) {
                found.insert(BigEndianKey.read(k, at: k.count - 8))
                entry = try cursor.move(.next) { k, _ in k }
            }
        }
        return found.sorted()
    }
}

/// A write transaction over the views; valid only inside ``ViewStore/write(_:)``.
public struct ViewWriter: ViewRowScanning {
    let txn: Transaction

    public func row(namespace: UInt8, view: UInt8, entity: [UInt8], asOf version: UInt64?) throws -> (
        version: UInt64, value: [UInt8]?
    )? {
        try txn.viewRow(namespace: namespace, view: view, entity: entity, asOf: version)
    }

    public func scan(
        namespace: UInt8, view: UInt8, entityPrefix: [UInt8] = [], asOf version: UInt64?,
        _ body: (_ entity: [UInt8], _ version: UInt64, _ value: [UInt8]) throws -> Bool
    ) throws {
        try txn.scanViewRows(namespace: namespace, view: view, entityPrefix: entityPrefix, asOf: version, body)
    }

    /// Deletes a metadata value; false when there was none.
    @discardableResult
    public func removeMeta(_ key: String) throws -> Bool {
        try txn.delete(txn.databases.meta, key: Array(key.utf8))
    }

    /// Writes a row's new version (nil deletes the row from this version on).
    public func put(namespace: UInt8, view: UInt8, entity: [UInt8], version: UInt64, value: [UInt8]?) throws {
        guard entity.count < 400 else {
            throw LedgerError(.invalidBatch, "a view entity key is \(entity.count) bytes; at most 399 are allowed")
        }
        var key = viewRowPrefix(namespace: namespace, view: view, entity: entity)
        key.append(contentsOf: BigEndianKey.bytes(version))
        var stored: [UInt8] = [value == nil ? 0 : 1]
        if let value { stored.append(contentsOf: value) }
        try txn.put(txn.databases.rows, key: key, value: stored)
    }

    /// Records that `projection` has applied every event up to `sequence`.
    public func setCheckpoint(_ projection: String, _ sequence: UInt64) throws {
        try txn.put(txn.databases.checkpoints, key: Array(projection.utf8), value: BigEndianKey.bytes(sequence))
    }

    /// The last sequence `projection` applied (0 when it never ran).
    public func checkpoint(_ projection: String) throws -> UInt64 {
        try txn.get(txn.databases.checkpoints, key: Array(projection.utf8)).map { $0.withUnsafeBytes { BigEndianKey.read($0) } }
            ?? 0
    }

    /// Forgets `projection`'s checkpoint (after its rows were deleted).
    public func removeCheckpoint(_ projection: String) throws {
        _ = try txn.delete(txn.databases.checkpoints, key: Array(projection.utf8))
    }

    /// Sets a metadata value.
    public func setMeta(_ key: String, _ value: [UInt8]) throws {
        try txn.put(txn.databases.meta, key: Array(key.utf8), value: value)
    }

    /// A metadata value.
    public func meta(_ key: String) throws -> [UInt8]? {
        try txn.get(txn.databases.meta, key: Array(key.utf8))
    }

    /// The namespace recorded for `identity` (a projection version), allocating one the first
    /// time: the next from the `namespace/next` counter, wrapping past 255, that no identity is
    /// recorded for (`namespace/*`), no projection serves (`served/*`) and that holds no rows, so a
    /// namespace handed out again never belongs to a live projection.
    ///
    /// - Returns: the namespace, and whether it was allocated now.
    /// - Throws: ``LedgerError`` `storage` when all 255 namespaces are in use.
    public func namespace(for identity: String) throws -> (namespace: UInt8, isNew: Bool) {
        let key = "namespace/\(identity)"
        if let existing = try meta(key), existing.count == 1 { return (existing[0], false) }
        var taken = Set<UInt8>()
        for prefix in ["namespace/", "served/"] {
            let p = Array(prefix.utf8)
            try txn.withCursor(txn.databases.meta) { cursor in
                var entry = try p.withUnsafeBytes { k in try cursor.move(.atOrAfter(k)) { k, v in (Array(k), v.first) } }
                while let (k, first) = entry, k.starts(with: p) {
                    if k != Array("namespace/next".utf8), let first { taken.insert(first) }
                    entry = try cursor.move(.next) { k, v in (Array(k), v.first) }
                }
            }
        }
        var candidate = try meta("namespace/next")?.first ?? 1
        for _ in 0..<255 {
            if candidate == 0 { candidate = 1 }
            if !taken.contains(candidate), try isEmpty(namespace: candidate) {
                try setMeta(key, [candidate])
                try setMeta("namespace/next", [candidate &+ 1 == 0 ? 1 : candidate &+ 1])
                return (candidate, true)
            }
            candidate &+= 1
        }
        throw LedgerError(.storage, "every view namespace is in use; delete old projection versions first")
    }

    /// Whether `namespace` holds no rows.
    public func isEmpty(namespace: UInt8) throws -> Bool {
        try txn.withCursor(txn.databases.rows) { cursor in
            try [namespace].withUnsafeBytes { key in
                try cursor.move(.atOrAfter(key)) { k, _ in k.first != namespace }
            } ?? true
        }
    }

    /// Deletes every row of `namespace` and returns how many were deleted.
    @discardableResult
    public func deleteNamespace(_ namespace: UInt8) throws -> Int {
        var deleted = 0
        try txn.withCursor(txn.databases.rows) { cursor in
            var inNamespace = try [namespace].withUnsafeBytes { key in
                try cursor.move(.atOrAfter(key)) { k, _ in k.first == namespace }
            }
            while inNamespace == true {
                try cursor.deleteCurrent()
                deleted += 1
                // Seek again: after deleting the last entry the cursor has no position.
                inNamespace = try [namespace].withUnsafeBytes { key in
                    try cursor.move(.atOrAfter(key)) { k, _ in k.first == namespace }
                }
            }
        }
        return deleted
    }

    /// Deletes, per entity of the namespace, every version older than the newest one at or
    /// before `sequence`: reads as of `sequence` or later keep their answers, earlier ones are
    /// given up. Returns how many versions were deleted.
    @discardableResult
    public func pruneVersions(namespace: UInt8, before sequence: UInt64) throws -> Int {
        var doomed: [[UInt8]] = []
        try txn.withCursor(txn.databases.rows) { cursor in
            var entry = try [namespace].withUnsafeBytes { key in
                try cursor.move(.atOrAfter(key)) { k, _ in Array(k) }
            }
            var kept: (key: [UInt8], entity: [UInt8])? = nil
            while let k = entry, k.first == namespace, let (entity, ver) = parseViewRowKey(k) {
                let sameEntity = kept.map { $0.key[1] == k[1] && $0.entity == entity } ?? false
                if sameEntity, ver <= sequence, let previous = kept { doomed.append(previous.key) }
                kept = ver <= sequence ? (k, entity) : nil
                entry = try cursor.move(.next) { k, _ in Array(k) }
            }
        }
        for key in doomed { try txn.delete(txn.databases.rows, key: key) }
        return doomed.count
    }
}
