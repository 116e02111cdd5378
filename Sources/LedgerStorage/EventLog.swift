import Foundation
public import LedgerCore

/// RunLedger's append-only event log: one LMDB environment holding hash-chained, zstd-compressed
/// event frames and the indexes that serve reads by stream, actor and time.
///
/// ```swift
/// let log = try EventLog.open(directory: "./data")
/// let result = try await log.append(batch)       // returns once the commit is durable
/// let events = try log.read { try $0.streamEvents("run/355100") }
/// log.close()
/// ```
///
/// Appends go through one writer thread that groups concurrent callers into one durable LMDB
/// transaction (group commit). Reads run on the caller's thread in MVCC snapshots and never block
/// the writer.
public final class EventLog: @unchecked Sendable {
    /// Settings for opening a log.
    public struct Options: Sendable {
        /// The initial memory-map size; the map grows by itself when full.
        public var initialMapSize: Int = 1 << 30
        /// The most events one stored frame holds.
        public var maxFrameEvents: Int = 256
        /// The most uncompressed bytes one stored frame holds.
        public var maxFrameBytes: Int = 64 << 10
        /// The compressed size a frame aims at: just under one 4 KiB LMDB overflow page, so frames
        /// fill their pages. The writer ends frames at the raw size that, at the recent compression
        /// ratio, compresses to about this much (never more than ``maxFrameBytes``).
        public var targetCompressedFrameBytes: Int = 3_600
        /// The zstd level.
        public var compressionLevel: Int32 = 1
        /// Train the first dictionary once the log holds this many events, and retrain each time the
        /// log has grown sixteenfold since; 0 turns automatic training off.
        public var dictionaryTrainingThreshold: UInt64 = 4096
        /// The most bytes a trained dictionary may have.
        public var dictionaryCapacity: Int = 16 << 10
        /// The most events in one group commit.
        public var maxGroupEvents: Int = 250_000
        /// Open without a writer: appends are refused.
        public var readOnly: Bool = false

        /// The default settings.
        public init() {}
    }

    let env: LMDBEnvironment
    let options: Options
    let dictionaries = DictionaryCache()
    let decompressors = DecompressorPool()
    private var writer: GroupCommitWriter?
    private let validationHelper = HelperThread(name: "runledger-validate")
    private let closeLock = NSLock()
    private var isClosed = false

    /// The data directory.
    public var directory: String { env.path }

    private init(env: LMDBEnvironment, options: Options) {
        self.env = env
        self.options = options
    }

    /// Opens the log in `directory`, creating the directory and an empty log if needed.
    ///
    /// Stale reader slots left by killed processes are cleared on open.
    public static func open(directory: String, options: Options = Options()) throws -> EventLog {
        if !options.readOnly {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } else if !FileManager.default.fileExists(atPath: directory + "/data.mdb") {
            throw LedgerError(.notFound, "no RunLedger data in '\(directory)' (data.mdb is missing)")
        }
        let env = try LMDBEnvironment(path: directory, mapSize: options.initialMapSize, readOnly: options.readOnly)
        let log = EventLog(env: env, options: options)
        if !options.readOnly {
            try log.initializeFormat()
            let writer = GroupCommitWriter(log: log)
            writer.start()
            log.writer = writer
        }
        return log
    }

    deinit {
        close()
    }

    /// Stops the writer after the queued appends and releases the environment's writer.
    ///
    /// Appends submitted after `close()` fail with ``LedgerError/Code/closed``.
    public func close() {
        closeLock.lock()
        let w = isClosed ? nil : writer
        isClosed = true
        closeLock.unlock()
        w?.stop()
        validationHelper.stop()
    }

    /// Appends a batch atomically and returns once it is durable on disk.
    ///
    /// - Throws: ``LedgerError`` with code `conflict` when a stream's version differs from the
    ///   batch's expectation, `invalidBatch` for a batch that breaks the log's rules,
    ///   `idempotencyKeyReused` when the key belongs to a different batch. Nothing is written then.
    public func append(_ batch: AppendBatch) async throws -> AppendResult {
        guard let writer = activeWriter() else { throw LedgerError(.closed, "the event log is closed") }
        try validate(batch)
        return try await withCheckedThrowingContinuation { continuation in
            writer.submit(.append(batch) { continuation.resume(with: $0) })
        }
    }

    /// Appends a batch from a thread that may block; see ``append(_:)``.
    public func appendBlocking(_ batch: AppendBatch) throws -> AppendResult {
        guard let writer = activeWriter() else { throw LedgerError(.closed, "the event log is closed") }
        try validate(batch)
        let box = ResultBox<AppendResult>()
        writer.submit(.append(batch) { box.set($0) })
        return try box.wait()
    }

    /// Validates a batch; batches of 256 events or more are checked in two halves, the second on
    /// a long-lived helper thread.
    func validate(_ batch: AppendBatch) throws {
        try batch.validateEnvelope()
        let count = batch.events.count
        guard count >= 256, ProcessInfo.processInfo.activeProcessorCount > 1 else {
            try batch.validateEvents(in: 0..<count)
            return
        }
        let half = count / 2
        let second = ResultBox<Bool>()
        validationHelper.async {
            do throws(LedgerError) {
                try batch.validateEvents(in: half..<count)
                second.set(.success(true))
            } catch {
                second.set(.failure(error))
            }
        }
        let first = Result { () throws(LedgerError) in try batch.validateEvents(in: 0..<half) }
        let secondResult = Result { try second.wait() }
        // Report the first failing event, as a serial check would.
        try first.get()
        _ = try secondResult.get()
    }

    /// Trains a new compression dictionary from the most recent events; new frames use it.
    ///
    /// Old frames keep naming the dictionary they were written with, so nothing is rewritten.
    /// - Returns: the new dictionary's id and size in bytes.
    public func trainDictionary() async throws -> (id: UInt32, bytes: Int) {
        guard let writer = activeWriter() else { throw LedgerError(.closed, "the event log is closed") }
        return try await withCheckedThrowingContinuation { continuation in
            writer.submit(.trainDictionary { continuation.resume(with: $0) })
        }
    }

    private func activeWriter() -> GroupCommitWriter? {
        closeLock.lock()
        defer { closeLock.unlock() }
        return isClosed ? nil : writer
    }

    /// Runs `body` on a consistent snapshot of the log.
    ///
    /// - Important: `body` must not `await` or keep the snapshot; it is valid only inside the call.
    public func read<T>(_ body: (LogSnapshot) throws -> T) throws -> T {
        try env.read { txn in try body(LogSnapshot(transaction: txn, log: self)) }
    }

    /// The log's head: last sequence, chain link and time.
    public func head() throws -> LogHead {
        try read { try $0.head }
    }

    /// How many reader slots of dead processes were cleared when this log was opened.
    public var clearedStaleReaders: Int { env.clearedStaleReaders }

    /// The current memory-map size in bytes.
    public var mapSize: Int { env.mapSize }

    /// The versions of LMDB and zstd this build links.
    public static var libraryVersions: String { "\(lmdbVersion()), zstd \(zstdVersion())" }

    private func initializeFormat() throws {
        try env.write { txn in
            let key = Array("format".utf8)
            if let existing = try txn.get(txn.databases.meta, key: key) {
                guard existing == [1] else {
                    throw LedgerError(
                        .corruption,
                        "data directory '\(env.path)' has log format \(existing.first ?? 0); this build reads format 1")
                }
            } else {
                try txn.put(txn.databases.meta, key: key, value: [1])
            }
        }
    }
}

/// Metadata keys in the `meta` database.
enum MetaKey {
    /// u64 BE last sequence ‖ u64 BE time key of the last event ‖ 32-byte chain link.
    static let head = Array("head".utf8)
    /// u32 BE id of the dictionary new frames use (absent: none).
    static let dictionary = Array("dictionary".utf8)
    /// u64 BE: the head sequence when the current dictionary was trained.
    static let dictionaryTrainedAt = Array("dictionary/trained-at".utf8)
}

/// A one-shot result that a blocking caller waits for.
final class ResultBox<T: Sendable>: @unchecked Sendable {
    private let semaphore = DispatchSemaphore(value: 0)
    private var result: Result<T, any Error>?

    func set(_ r: Result<T, any Error>) {
        result = r
        semaphore.signal()
    }

    func wait() throws -> T {
        semaphore.wait()
        return try result!.get()
    }
}

/// Digested dictionaries by id, loaded on first use and shared by every thread.
final class DictionaryCache: @unchecked Sendable {
    private let lock = NSLock()
    private var byID: [UInt32: ZstdDictionary] = [:]

    func dictionary(_ id: UInt32, in txn: Transaction, level: Int32) throws -> ZstdDictionary? {
        if id == 0 { return nil }
        lock.lock()
        if let d = byID[id] {
            lock.unlock()
            return d
        }
        lock.unlock()
        var key = id.bigEndian
        guard let bytes = try withUnsafeBytes(of: &key, { k in try txn.get(txn.databases.dictionaries, key: k) { Array($0) } })
        else {
            throw LedgerError(.corruption, "a frame names dictionary \(id), which is not stored")
        }
        let d = try ZstdDictionary(id: id, bytes: bytes, level: level)
        lock.lock()
        defer { lock.unlock() }
        if let existing = byID[id] { return existing }
        byID[id] = d
        return d
    }
}

/// A pool of zstd decompression contexts, so concurrent readers each get their own.
final class DecompressorPool: @unchecked Sendable {
    private let lock = NSLock()
    private var idle: [ZstdDecompressor] = []

    func with<T>(_ body: (ZstdDecompressor) throws -> T) rethrows -> T {
        lock.lock()
        let d = idle.popLast() ?? ZstdDecompressor()
        lock.unlock()
        defer {
            lock.lock()
            if idle.count < 16 { idle.append(d) }
            lock.unlock()
        }
        return try body(d)
    }
}
