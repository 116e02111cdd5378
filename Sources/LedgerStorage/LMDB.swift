private import CLMDB
import Foundation
import LedgerCore

/// The one place where LMDB return codes become errors (style rule 2).
@inline(__always)
func check(_ rc: Int32, _ operation: @autoclosure () -> String) throws(LedgerError) {
    guard rc != 0 else { return }
    throw lmdbError(rc, operation())
}

/// Describes an LMDB return code as a ``LedgerError``.
func lmdbError(_ rc: Int32, _ operation: String) -> LedgerError {
    let text = String(cString: mdb_strerror(rc))
    switch rc {
    case MDB_CORRUPTED, MDB_PAGE_NOTFOUND, MDB_INVALID, MDB_VERSION_MISMATCH:
        return LedgerError(.corruption, "\(operation): \(text) (LMDB \(rc))")
    default:
        return LedgerError(.storage, "\(operation): \(text) (LMDB \(rc))")
    }
}

/// A readers-writer lock that keeps map resizes away from live read transactions.
final class ResizeLock: @unchecked Sendable {
    private let lock: UnsafeMutablePointer<pthread_rwlock_t>

    init() {
        lock = .allocate(capacity: 1)
        pthread_rwlock_init(lock, nil)
    }

    deinit {
        pthread_rwlock_destroy(lock)
        lock.deallocate()
    }

    func withShared<T>(_ body: () throws -> T) rethrows -> T {
        pthread_rwlock_rdlock(lock)
        defer { pthread_rwlock_unlock(lock) }
        return try body()
    }

    func withExclusive<T>(_ body: () throws -> T) rethrows -> T {
        pthread_rwlock_wrlock(lock)
        defer { pthread_rwlock_unlock(lock) }
        return try body()
    }
}

/// The named LMDB databases of a ledger environment.
struct Databases: Sendable {
    /// first sequence (u64 BE) → frame of events.
    var events: UInt32 = 0
    /// stream id (UTF-8) → stream number (u64 BE).
    var streams: UInt32 = 0
    /// stream number (u64 BE) → dups of version (u64 BE) ‖ sequence (u64 BE).
    var streamIndex: UInt32 = 0
    /// actor (UTF-8) → dups of sequence (u64 BE).
    var actorIndex: UInt32 = 0
    /// recorded-at µs (u64 BE, offset binary) → first sequence recorded at that time (u64 BE).
    var timeIndex: UInt32 = 0
    /// idempotency key (UTF-8) → first sequence ‖ count ‖ batch fingerprint.
    var idempotency: UInt32 = 0
    /// dictionary id (u32 BE) → zstd dictionary bytes.
    var dictionaries: UInt32 = 0
    /// fixed names → metadata records.
    var meta: UInt32 = 0
    /// Views environment: view ‖ entity ‖ version → row value.
    var rows: UInt32 = 0
    /// Views environment: projection name → last applied sequence.
    var checkpoints: UInt32 = 0
}

/// Which databases an environment holds, and how it syncs.
enum EnvironmentLayout: Sendable {
    /// The event log: every commit is fully durable.
    case eventLog
    /// Projection views: derived from the log and rebuildable, so commits skip the meta-page
    /// fsync (`MDB_NOMETASYNC`: integrity is kept; a system crash may undo the last commit,
    /// together with its checkpoint).
    case views
}

/// An open LMDB environment: the memory map, its databases and its map-size policy.
///
/// - Important: Transactions are synchronous closures that never `await`; a write transaction
///   begins and commits on the calling thread. Handles passed to closures are valid only during
///   the closure.
final class LMDBEnvironment: @unchecked Sendable {
    let handle: OpaquePointer
    let path: String
    private(set) var databases = Databases()
    let resizeLock = ResizeLock()
    /// Reader slots of dead processes that opening cleared.
    private(set) var clearedStaleReaders = 0
    private let mapSizeLock = NSLock()
    private var _mapSize: Int

    /// The current map size in bytes.
    var mapSize: Int {
        mapSizeLock.lock()
        defer { mapSizeLock.unlock() }
        return _mapSize
    }

    /// Opens (creating if needed) the environment in directory `path`.
    init(path: String, mapSize: Int, readOnly: Bool = false, layout: EnvironmentLayout = .eventLog) throws(LedgerError) {
        self.path = path
        var envPointer: OpaquePointer?
        try check(mdb_env_create(&envPointer), "create LMDB environment")
        guard let env = envPointer else { throw LedgerError(.storage, "mdb_env_create returned no handle") }
        handle = env
        _mapSize = mapSize
        do {
            try check(mdb_env_set_maxdbs(env, 16), "set max databases")
            try check(mdb_env_set_maxreaders(env, 1024), "set max readers")
            try check(mdb_env_set_mapsize(env, mapSize), "set map size")
            var flags = UInt32(MDB_NOTLS)
            if readOnly { flags |= UInt32(MDB_RDONLY) }
            if layout == .views { flags |= UInt32(MDB_NOMETASYNC) }
            try check(mdb_env_open(env, path, flags, 0o644), "open LMDB environment at \(path)")
            var info = MDB_envinfo()
            mdb_env_info(env, &info)
            _mapSize = max(mapSize, info.me_mapsize)
            var dead: Int32 = 0
            try check(mdb_reader_check(env, &dead), "clear stale reader slots")
            clearedStaleReaders = Int(dead)
            try openDatabases(create: !readOnly, layout: layout)
        } catch {
            mdb_env_close(env)
            throw error
        }
    }

    deinit {
        mdb_env_close(handle)
    }

    private func openDatabases(create: Bool, layout: EnvironmentLayout) throws(LedgerError) {
        var txn: OpaquePointer?
        try check(mdb_txn_begin(handle, nil, create ? 0 : UInt32(MDB_RDONLY), &txn), "begin setup transaction")
        var dbs = Databases()
        func open(_ name: String, _ flags: Int32) throws(LedgerError) -> UInt32 {
            var dbi: MDB_dbi = 0
            let f = UInt32(flags) | (create ? UInt32(MDB_CREATE) : 0)
            let rc = mdb_dbi_open(txn, name, f, &dbi)
            if rc == MDB_NOTFOUND && !create {
                throw LedgerError(.notFound, "'\(path)' is not a RunLedger data directory (no '\(name)' database)")
            }
            try check(rc, "open database \(name)")
            return dbi
        }
        do {
            if layout == .views {
                dbs.rows = try open("rows", 0)
                dbs.checkpoints = try open("checkpoints", 0)
                dbs.meta = try open("meta", 0)
                try check(mdb_txn_commit(txn), "commit setup transaction")
                databases = dbs
                return
            }
            dbs.events = try open("events", 0)
            dbs.streams = try open("streams", 0)
            dbs.streamIndex = try open("stream_index", MDB_DUPSORT | MDB_DUPFIXED)
            dbs.actorIndex = try open("actor_index", MDB_DUPSORT | MDB_DUPFIXED)
            dbs.timeIndex = try open("time_index", 0)
            dbs.idempotency = try open("idempotency", 0)
            dbs.dictionaries = try open("dictionaries", 0)
            dbs.meta = try open("meta", 0)
            // Committing (even a read-only transaction) keeps the database handles open.
            try check(mdb_txn_commit(txn), "commit setup transaction")
        } catch {
            mdb_txn_abort(txn)
            throw error
        }
        databases = dbs
    }

    /// Runs `body` in a read-only snapshot. Readers never block the writer.
    func read<T>(_ body: (Transaction) throws -> T) throws -> T {
        while true {
            let outcome: Result<T, any Error>? = resizeLock.withShared {
                var txn: OpaquePointer?
                let rc = mdb_txn_begin(handle, nil, UInt32(MDB_RDONLY), &txn)
                if rc == MDB_MAP_RESIZED { return nil }
                if rc != 0 { return .failure(lmdbError(rc, "begin read transaction")) }
                defer { mdb_txn_abort(txn) }
                do {
                    return .success(try body(Transaction(handle: txn!, databases: databases)))
                } catch {
                    return .failure(error)
                }
            }
            if let outcome { return try outcome.get() }
            try adoptMapSizeFromOtherProcess()
        }
    }

    /// Runs `body` in a write transaction on the calling thread and commits it durably.
    ///
    /// When the map is full, the transaction is aborted, the map grows, and `body` runs again:
    /// `body` must therefore be safe to repeat.
    func write<T>(_ body: (Transaction) throws -> T) throws -> T {
        while true {
            var txn: OpaquePointer?
            let rc = mdb_txn_begin(handle, nil, 0, &txn)
            if rc == MDB_MAP_RESIZED {
                try adoptMapSizeFromOtherProcess()
                continue
            }
            try check(rc, "begin write transaction")
            let value: T
            do {
                value = try body(Transaction(handle: txn!, databases: databases))
            } catch let error as MapFull {
                _ = error
                mdb_txn_abort(txn)
                try grow()
                continue
            } catch {
                mdb_txn_abort(txn)
                throw error
            }
            let commit = mdb_txn_commit(txn)
            if commit == MDB_MAP_FULL {
                try grow()
                continue
            }
            try check(commit, "commit write transaction")
            return value
        }
    }

    /// Doubles the map (at least +64 MiB) while no transaction of this process is live.
    func grow() throws(LedgerError) {
        let result: LedgerError? = resizeLock.withExclusive {
            mapSizeLock.lock()
            defer { mapSizeLock.unlock() }
            let target = max(_mapSize * 2, _mapSize + (64 << 20))
            let rc = mdb_env_set_mapsize(handle, target)
            if rc != 0 { return lmdbError(rc, "grow the map to \(target) bytes") }
            var info = MDB_envinfo()
            mdb_env_info(handle, &info)
            _mapSize = info.me_mapsize
            return nil
        }
        if let result { throw result }
    }

    private func adoptMapSizeFromOtherProcess() throws(LedgerError) {
        let result: LedgerError? = resizeLock.withExclusive {
            mapSizeLock.lock()
            defer { mapSizeLock.unlock() }
            let rc = mdb_env_set_mapsize(handle, 0)
            if rc != 0 { return lmdbError(rc, "adopt the map size grown by another process") }
            var info = MDB_envinfo()
            mdb_env_info(handle, &info)
            _mapSize = info.me_mapsize
            return nil
        }
        if let result { throw result }
    }

    /// Writes a compacted copy of the environment into the empty directory `destination`.
    func copyCompacted(to destination: String) throws {
        try resizeLock.withShared {
            try check(mdb_env_copy2(handle, destination, UInt32(MDB_CP_COMPACT)), "compacting copy to \(destination)")
        }
    }

    /// Empties a database (keeps its handle).
    func drop(_ dbi: UInt32, in txn: Transaction) throws {
        try check(mdb_drop(txn.handle, dbi, 0), "empty database")
    }

    /// Page counts of each database, for statistics.
    func pageStatistics(names requested: [(String, UInt32)]? = nil) throws -> [String: DatabasePages] {
        try read { txn in
            var result: [String: DatabasePages] = [:]
            let names: [(String, UInt32)] = requested ?? [
                ("events", databases.events), ("streams", databases.streams),
                ("stream_index", databases.streamIndex), ("actor_index", databases.actorIndex),
                ("time_index", databases.timeIndex), ("idempotency", databases.idempotency),
                ("dictionaries", databases.dictionaries), ("meta", databases.meta),
            ]
            for (name, dbi) in names {
                var stat = MDB_stat()
                try check(mdb_stat(txn.handle, dbi, &stat), "stat database \(name)")
                result[name] = DatabasePages(
                    pageSize: Int(stat.ms_psize), branchPages: stat.ms_branch_pages, leafPages: stat.ms_leaf_pages,
                    overflowPages: stat.ms_overflow_pages, entries: stat.ms_entries)
            }
            return result
        }
    }
}

/// The pages one LMDB database occupies.
public struct DatabasePages: Sendable, Hashable {
    /// The page size in bytes.
    public var pageSize: Int
    /// Interior B-tree pages.
    public var branchPages: Int
    /// Leaf pages.
    public var leafPages: Int
    /// Pages holding values larger than a page.
    public var overflowPages: Int
    /// The number of entries (key/value pairs, counting duplicates).
    public var entries: Int

    /// The bytes of all pages.
    public var bytes: Int { (branchPages + leafPages + overflowPages) * pageSize }
}

/// Signals that a put hit the map's end; ``LMDBEnvironment/write(_:)`` grows the map and retries.
struct MapFull: Error {}

/// A live LMDB transaction; valid only inside the closure that received it.
struct Transaction {
    let handle: OpaquePointer
    let databases: Databases

    /// Reads the value of `key`, copying nothing: `body` sees bytes inside the map.
    func get<T>(_ dbi: UInt32, key: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer) throws -> T) throws -> T? {
        var k = MDB_val(mv_size: key.count, mv_data: UnsafeMutableRawPointer(mutating: key.baseAddress))
        var v = MDB_val()
        let rc = mdb_get(handle, dbi, &k, &v)
        if rc == MDB_NOTFOUND { return nil }
        try check(rc, "read")
        return try body(UnsafeRawBufferPointer(start: v.mv_data, count: v.mv_size))
    }

    /// Reads the value of `key` as a copy.
    func get(_ dbi: UInt32, key: [UInt8]) throws -> [UInt8]? {
        try key.withUnsafeBytes { k in try get(dbi, key: k) { Array($0) } }
    }

    /// Stores `value` under `key`.
    func put(_ dbi: UInt32, key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer, flags: PutFlags = []) throws {
        var k = MDB_val(mv_size: key.count, mv_data: UnsafeMutableRawPointer(mutating: key.baseAddress))
        var v = MDB_val(mv_size: value.count, mv_data: UnsafeMutableRawPointer(mutating: value.baseAddress))
        let rc = mdb_put(handle, dbi, &k, &v, flags.rawValue)
        if rc == MDB_MAP_FULL { throw MapFull() }
        try check(rc, "write")
    }

    /// Stores `value` under `key`.
    func put(_ dbi: UInt32, key: [UInt8], value: [UInt8], flags: PutFlags = []) throws {
        try key.withUnsafeBytes { k in try value.withUnsafeBytes { v in try put(dbi, key: k, value: v, flags: flags) } }
    }

    /// Deletes `key` (all its values); returns false when it was absent.
    @discardableResult
    func delete(_ dbi: UInt32, key: [UInt8]) throws -> Bool {
        try key.withUnsafeBytes { k in
            var kv = MDB_val(mv_size: k.count, mv_data: UnsafeMutableRawPointer(mutating: k.baseAddress))
            let rc = mdb_del(handle, dbi, &kv, nil)
            if rc == MDB_NOTFOUND { return false }
            try check(rc, "delete")
            return true
        }
    }

    /// The number of entries in a database, as this transaction sees it.
    func entryCount(_ dbi: UInt32) throws -> Int {
        var stat = MDB_stat()
        try check(mdb_stat(handle, dbi, &stat), "stat")
        return stat.ms_entries
    }

    /// Opens a cursor that is closed when `body` returns.
    func withCursor<T>(_ dbi: UInt32, _ body: (Cursor) throws -> T) throws -> T {
        var cursor: OpaquePointer?
        try check(mdb_cursor_open(handle, dbi, &cursor), "open cursor")
        defer { mdb_cursor_close(cursor) }
        return try body(Cursor(handle: cursor!))
    }
}

/// Flags for ``Transaction/put(_:key:value:flags:)``.
struct PutFlags: OptionSet {
    let rawValue: UInt32
    /// The key sorts after every existing key.
    static let append = PutFlags(rawValue: UInt32(MDB_APPEND))
    /// The duplicate value sorts after the key's existing values.
    static let appendDuplicate = PutFlags(rawValue: UInt32(MDB_APPENDDUP))
    /// Fail when the key exists.
    static let noOverwrite = PutFlags(rawValue: UInt32(MDB_NOOVERWRITE))
}

/// A positioned LMDB cursor; valid only inside the closure that received it.
struct Cursor {
    let handle: OpaquePointer

    /// Where to move the cursor.
    enum Move {
        case first, last, next, previous, current
        case nextDuplicate, nextKey, firstDuplicate, lastDuplicate
        case atOrAfter(UnsafeRawBufferPointer)
        case exact(UnsafeRawBufferPointer)
        case duplicateAtOrAfter(key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer)
    }

    /// Moves the cursor; calls `body` with the key and value there, or returns nil at the end.
    func move<T>(
        _ move: Move, _ body: (_ key: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer) throws -> T
    ) throws -> T? {
        var k = MDB_val()
        var v = MDB_val()
        let op: MDB_cursor_op
        switch move {
        case .first: op = MDB_FIRST
        case .last: op = MDB_LAST
        case .next: op = MDB_NEXT
        case .previous: op = MDB_PREV
        case .current: op = MDB_GET_CURRENT
        case .nextDuplicate: op = MDB_NEXT_DUP
        case .nextKey: op = MDB_NEXT_NODUP
        case .firstDuplicate: op = MDB_FIRST_DUP
        case .lastDuplicate: op = MDB_LAST_DUP
        case .atOrAfter(let key):
            op = MDB_SET_RANGE
            k = MDB_val(mv_size: key.count, mv_data: UnsafeMutableRawPointer(mutating: key.baseAddress))
        case .exact(let key):
            op = MDB_SET_KEY
            k = MDB_val(mv_size: key.count, mv_data: UnsafeMutableRawPointer(mutating: key.baseAddress))
        case .duplicateAtOrAfter(let key, let value):
            op = MDB_GET_BOTH_RANGE
            k = MDB_val(mv_size: key.count, mv_data: UnsafeMutableRawPointer(mutating: key.baseAddress))
            v = MDB_val(mv_size: value.count, mv_data: UnsafeMutableRawPointer(mutating: value.baseAddress))
        }
        let rc = mdb_cursor_get(handle, &k, &v, op)
        if rc == MDB_NOTFOUND { return nil }
        try check(rc, "cursor move")
        return try body(
            UnsafeRawBufferPointer(start: k.mv_data, count: k.mv_size),
            UnsafeRawBufferPointer(start: v.mv_data, count: v.mv_size))
    }

    /// Stores `count` fixed-size duplicates for `key` in one call (`MDB_MULTIPLE`, DUPFIXED only).
    func putMultiple(key: UnsafeRawBufferPointer, items: UnsafeRawBufferPointer, itemSize: Int, count: Int) throws {
        var k = MDB_val(mv_size: key.count, mv_data: UnsafeMutableRawPointer(mutating: key.baseAddress))
        var vals = (
            MDB_val(mv_size: itemSize, mv_data: UnsafeMutableRawPointer(mutating: items.baseAddress)),
            MDB_val(mv_size: count, mv_data: nil)
        )
        let rc = withUnsafeMutablePointer(to: &vals) { pointer in
            pointer.withMemoryRebound(to: MDB_val.self, capacity: 2) { mdb_cursor_put(handle, &k, $0, UInt32(MDB_MULTIPLE)) }
        }
        if rc == MDB_MAP_FULL { throw MapFull() }
        try check(rc, "cursor write of \(count) duplicates")
        guard vals.1.mv_size == count else {
            throw LedgerError(.storage, "LMDB stored \(vals.1.mv_size) of \(count) duplicates")
        }
    }

    /// Deletes the entry at the cursor.
    func deleteCurrent() throws {
        try check(mdb_cursor_del(handle, 0), "cursor delete")
    }

    /// Stores a key and value at the cursor.
    func put(key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer, flags: PutFlags = []) throws {
        var k = MDB_val(mv_size: key.count, mv_data: UnsafeMutableRawPointer(mutating: key.baseAddress))
        var v = MDB_val(mv_size: value.count, mv_data: UnsafeMutableRawPointer(mutating: value.baseAddress))
        let rc = mdb_cursor_put(handle, &k, &v, flags.rawValue)
        if rc == MDB_MAP_FULL { throw MapFull() }
        try check(rc, "cursor write")
    }
}

/// The LMDB library version, e.g. "LMDB 0.9.24: (July 24, 2019)".
func lmdbVersion() -> String {
    String(cString: mdb_version(nil, nil, nil))
}
