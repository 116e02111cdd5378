import Foundation
import LedgerCore

/// The log's single writer: a dedicated thread that gathers concurrent appends into one durable
/// LMDB transaction (group commit) and answers each caller after the commit returns.
///
/// A write transaction begins and commits on this thread and nothing inside it awaits, as LMDB
/// requires. Each batch is validated against the transaction's view before any of its events is
/// written, so a rejected batch writes nothing while the rest of the group commits.
final class GroupCommitWriter: @unchecked Sendable {
    /// Work for the writer thread.
    enum Job {
        /// Append a batch and report the result.
        case append(AppendBatch, @Sendable (Result<AppendResult, any Error>) -> Void)
        /// Train and install a new compression dictionary.
        case trainDictionary(@Sendable (Result<(id: UInt32, bytes: Int), any Error>) -> Void)
    }

    private unowned let log: EventLog
    private let condition = NSCondition()
    private var queue: [Job] = []
    private var stopping = false
    private let finished = DispatchSemaphore(value: 0)
    private let compressor: ZstdCompressor
    private let backgroundCompression: FrameCompressionThread
    private var nextTrainingAttempt: UInt64
    /// Recent compressed/raw ratio of frames, to size the next frames (starts pessimistic).
    private var compressionRatio = 0.35

    init(log: EventLog) {
        self.log = log
        self.compressor = ZstdCompressor(level: log.options.compressionLevel)
        self.backgroundCompression = FrameCompressionThread(level: log.options.compressionLevel)
        self.nextTrainingAttempt = log.options.dictionaryTrainingThreshold
    }

    func start() {
        let thread = Thread { [self] in
            run()
        }
        thread.name = "runledger-writer"
        thread.stackSize = 8 << 20
        thread.start()
    }

    /// Queues a job; fails it at once when the writer is stopping.
    func submit(_ job: Job) {
        condition.lock()
        if stopping {
            condition.unlock()
            fail(job, LedgerError(.closed, "the event log is closed"))
            return
        }
        queue.append(job)
        condition.signal()
        condition.unlock()
    }

    /// Finishes the queued jobs, then ends the thread.
    func stop() {
        condition.lock()
        stopping = true
        condition.signal()
        condition.unlock()
        finished.wait()
    }

    private func fail(_ job: Job, _ error: any Error) {
        switch job {
        case .append(_, let done): done(.failure(error))
        case .trainDictionary(let done): done(.failure(error))
        }
    }

    private func run() {
        while true {
            condition.lock()
            while queue.isEmpty && !stopping { condition.wait() }
            if queue.isEmpty && stopping {
                condition.unlock()
                break
            }
            var group: [(AppendBatch, @Sendable (Result<AppendResult, any Error>) -> Void)] = []
            var events = 0
            var training: Job?
            while let job = queue.first {
                if case .append(let batch, let done) = job {
                    if !group.isEmpty && events + batch.events.count > log.options.maxGroupEvents { break }
                    group.append((batch, done))
                    events += batch.events.count
                    queue.removeFirst()
                } else {
                    if group.isEmpty {
                        training = job
                        queue.removeFirst()
                    }
                    break
                }
            }
            condition.unlock()
            if !group.isEmpty { commit(group) }
            if case .trainDictionary(let done) = training {
                done(Result { try self.installDictionary() })
            }
            maybeTrainAutomatically()
        }
        backgroundCompression.stop()
        finished.signal()
    }

    // MARK: - Group commit

    private func commit(_ group: [(AppendBatch, @Sendable (Result<AppendResult, any Error>) -> Void)]) {
        let outcomes: [Result<AppendResult, any Error>]
        var ratioUpdate: Double? = nil
        defer {
            if let r = ratioUpdate { compressionRatio = 0.7 * compressionRatio + 0.3 * min(1, max(0.01, r)) }
        }
        do {
            outcomes = try log.env.write { txn in
                var state = try WriteState(
                    txn: txn, log: log, compressor: compressor, background: backgroundCompression,
                    rawBudget: frameRawBudget)
                var results: [Result<AppendResult, any Error>] = []
                results.reserveCapacity(group.count)
                for (batch, _) in group {
                    switch try state.check(batch) {
                    case .failure(let rejection): results.append(.failure(rejection))
                    case .success(.duplicate(let result)): results.append(.success(result))
                    case .success(.accepted(let time)): results.append(.success(try state.write(batch, at: time)))
                    }
                }
                try state.finish()
                if state.compressedBytesWritten > 0 {
                    let observed = Double(state.compressedBytesWritten) / Double(max(1, state.rawBytesWritten))
                    ratioUpdate = observed
                }
                return results
            }
        } catch {
            if group.count > 1 {
                // Isolate the batch that failed: commit each alone so the others are not lost.
                for entry in group { commit([entry]) }
            } else {
                group[0].1(.failure(error))
            }
            return
        }
        for (entry, outcome) in zip(group, outcomes) { entry.1(outcome) }
    }

    /// The raw bytes after which a frame is closed, from the target compressed size and the recent ratio.
    private var frameRawBudget: Int {
        let budget = Double(log.options.targetCompressedFrameBytes) / compressionRatio
        return min(log.options.maxFrameBytes, max(4_096, Int(budget)))
    }

    // MARK: - Dictionaries

    /// Trains the first dictionary at the threshold, then retrains each time the log has grown
    /// sixteenfold since the last training (4,096, 65,536, 1,048,576 … events by default), so the
    /// dictionary follows the mix of event types as history accumulates.
    private func maybeTrainAutomatically() {
        guard log.options.dictionaryTrainingThreshold > 0 else { return }
        guard let head = try? log.head(), head.sequence >= nextTrainingAttempt else { return }
        let trainedAt: UInt64? = (try? log.env.read { txn -> UInt64? in
            guard try txn.get(txn.databases.meta, key: MetaKey.dictionary) != nil else { return nil }
            return try txn.get(txn.databases.meta, key: MetaKey.dictionaryTrainedAt).map { $0.withUnsafeBytes { BigEndianKey.read($0) } } ?? 0
        }) ?? nil
        let due = trainedAt.map { max(log.options.dictionaryTrainingThreshold, $0 * 16) } ?? log.options.dictionaryTrainingThreshold
        guard head.sequence >= due else {
            nextTrainingAttempt = due
            return
        }
        if (try? installDictionary()) == nil {
            nextTrainingAttempt = head.sequence * 2
        } else {
            nextTrainingAttempt = head.sequence * 16
        }
    }

    /// Trains a dictionary on the canonical bytes of up to the last 20,000 events and installs it.
    private func installDictionary() throws -> (id: UInt32, bytes: Int) {
        let samples: [[UInt8]] = try log.read { snapshot in
            let head = try snapshot.head.sequence
            guard head >= 100 else {
                throw LedgerError(.invalidBatch, "a dictionary needs at least 100 events to train on; the log has \(head)")
            }
            var out: [[UInt8]] = []
            let first = head > 20_000 ? head - 19_999 : 1
            try snapshot.forEachCanonicalEvent(from: first, through: head) { _, bytes in
                out.append(Array(bytes))
                return true
            }
            return out
        }
        let dictionary = try ZstdDictionary.train(samples: samples, capacity: log.options.dictionaryCapacity)
        let id: UInt32 = try log.env.write { txn in
            var id: UInt32 = 1
            try txn.withCursor(txn.databases.dictionaries) { cursor in
                if let last = try cursor.move(.last, { k, _ in UInt32(bigEndian: k.loadUnaligned(as: UInt32.self)) }) {
                    id = last + 1
                }
            }
            let key = withUnsafeBytes(of: id.bigEndian) { Array($0) }
            try txn.put(txn.databases.dictionaries, key: key, value: dictionary)
            try txn.put(txn.databases.meta, key: MetaKey.dictionary, value: key)
            let head = try LogSnapshot(transaction: txn, log: log).head.sequence
            try txn.put(txn.databases.meta, key: MetaKey.dictionaryTrainedAt, value: BigEndianKey.bytes(head))
            return id
        }
        return (id, dictionary.count)
    }
}

/// What checking a batch decided.
enum BatchDecision {
    /// Write the batch at this recorded-at time.
    case accepted(LedgerTimestamp)
    /// The idempotency key was seen with the same batch: return the original result.
    case duplicate(AppendResult)
}

/// The writer's view of the log during one group-commit transaction.
struct WriteState {
    let txn: Transaction
    let log: EventLog
    let compressor: ZstdCompressor
    let background: FrameCompressionThread
    /// Full frames handed to the background thread: key, whether it replaces a stored frame, ticket.
    var backgroundFrames: [(key: UInt64, stored: Bool, ticket: Int)] = []
    let dictionary: ZstdDictionary?
    var headSequence: UInt64
    var lastTime: Int64?
    var link: ChainHash
    let groupTime: Int64
    var streams: [String: (number: UInt64, version: UInt64)] = [:]
    var streamCount: UInt64
    /// The frame being filled: its key, raw bytes, event count, and whether it is already stored.
    var frameKey: UInt64
    var frameRaw: [UInt8] = []
    var frameCount = 0
    var frameStored = false
    var encoder = ByteWriter(capacity: 512)

    /// Raw bytes after which the open frame is closed.
    let rawBudget: Int
    /// Raw and compressed bytes of the frames this transaction stored (for the ratio estimate).
    var rawBytesWritten = 0
    var compressedBytesWritten = 0

    init(txn: Transaction, log: EventLog, compressor: ZstdCompressor, background: FrameCompressionThread, rawBudget: Int)
        throws
    {
        self.txn = txn
        self.log = log
        self.compressor = compressor
        self.background = background
        self.rawBudget = rawBudget
        let snapshot = LogSnapshot(transaction: txn, log: log)
        let head = try snapshot.head
        headSequence = head.sequence
        lastTime = head.recordedAt?.microseconds
        link = head.link
        let now = Int64(Date().timeIntervalSince1970 * 1_000_000)
        groupTime = max(now, lastTime ?? now)
        streamCount = UInt64(try txn.entryCount(txn.databases.streams))
        var dictionaryID: UInt32 = 0
        if let raw = try txn.get(txn.databases.meta, key: MetaKey.dictionary), raw.count == 4 {
            dictionaryID = raw.withUnsafeBytes { UInt32(bigEndian: $0.loadUnaligned(as: UInt32.self)) }
        }
        dictionary = try log.dictionaries.dictionary(dictionaryID, in: txn, level: log.options.compressionLevel)
        frameKey = headSequence + 1
        // Reopen the last frame when it still has room and uses the current dictionary.
        let maxEvents = log.options.maxFrameEvents
        let maxBytes = rawBudget
        let tail = try txn.withCursor(txn.databases.events) { cursor in
            try cursor.move(.last) { k, v -> (UInt64, FrameHeader, [UInt8])? in
                let header = try FrameHeader.parse(v)
                guard header.eventCount < maxEvents, header.rawLength < maxBytes, header.dictionaryID == dictionaryID
                else { return nil }
                var raw: [UInt8] = []
                try snapshot.decompressFrame(value: v, header: header, into: &raw)
                return (BigEndianKey.read(k), header, raw)
            } ?? nil
        }
        if let (key, header, raw) = tail {
            guard key + UInt64(header.eventCount) == headSequence + 1 else {
                throw LedgerError(
                    .corruption, "the last frame ends at \(key + UInt64(header.eventCount) - 1) but the head is \(headSequence)")
            }
            frameKey = key
            frameRaw = raw
            frameCount = header.eventCount
            frameStored = true
        }
    }

    /// Checks a batch against the log without writing: idempotency, expected versions, time.
    mutating func check(_ batch: AppendBatch) throws -> Result<BatchDecision, LedgerError> {
        let snapshot = LogSnapshot(transaction: txn, log: log)
        if let key = batch.idempotencyKey {
            var k = key
            let record = try k.withUTF8 { bytes in
                try txn.get(txn.databases.idempotency, key: UnsafeRawBufferPointer(bytes)) { Array($0) }
            }
            if let record {
                let stored = record.withUnsafeBytes { (BigEndianKey.read($0, at: 0), BigEndianKey.read($0, at: 8)) }
                guard Array(record[16...]) == batch.fingerprint else {
                    return .failure(
                        LedgerError(
                            .idempotencyKeyReused,
                            "idempotency key '\(key)' was used for a different batch (sequences \(stored.0)...\(stored.0 + stored.1 - 1)); use a new key for a new request"
                        ))
                }
                var versions: [String: UInt64] = [:]
                try snapshot.forEachEvent(from: stored.0, through: stored.0 + stored.1 - 1) { e in
                    versions[e.stream] = e.streamVersion
                    return true
                }
                return .success(
                    .duplicate(
                        AppendResult(
                            firstSequence: stored.0, lastSequence: stored.0 + stored.1 - 1, streamVersions: versions,
                            wasDuplicate: true)))
            }
        }
        for stream in batch.expectations.keys.sorted() {
            let expected = batch.expectations[stream]!
            let actual = try state(of: stream)?.version ?? 0
            if !expected.isSatisfied(by: actual) {
                return .failure(.conflict(stream: stream, expected: expected, actual: actual))
            }
        }
        let time: Int64
        if let requested = batch.recordedAt?.microseconds {
            if let last = lastTime, requested < last {
                return .failure(
                    LedgerError(
                        .invalidBatch,
                        "recorded-at \(LedgerTimestamp(microseconds: requested)) is before the log's last event (\(LedgerTimestamp(microseconds: last))); time may not go backwards"
                    ))
            }
            time = requested
        } else {
            time = max(groupTime, lastTime ?? groupTime)
        }
        return .success(.accepted(LedgerTimestamp(microseconds: time)))
    }

    private mutating func state(of stream: String) throws -> (number: UInt64, version: UInt64)? {
        if let s = streams[stream] { return s }
        let s = try LogSnapshot(transaction: txn, log: log).streamState(stream)
        if let s { streams[stream] = s }
        return s
    }

    /// Writes a checked batch: events into frames, and every index, in this transaction.
    mutating func write(_ batch: AppendBatch, at time: LedgerTimestamp) throws -> AppendResult {
        let dbs = txn.databases
        let first = headSequence + 1
        // Streams this batch touches: name → slot in `touchedStates`.
        var touchedSlots: [String: Int] = [:]
        var touchedNames: [String] = []
        var touchedStates: [(number: UInt64, version: UInt64)] = []
        // Index entries: per touched stream (version BE, sequence BE) pairs, and the actor's sequences.
        var streamEntries: [[UInt64]] = []
        var actorEntries: [UInt64] = []
        actorEntries.reserveCapacity(batch.events.count)
        var slot = -1
        var lastStreamID: String? = nil
        var middle = ByteWriter(capacity: 128)
        CanonicalEventCodec.encodeMiddle(
            actorKind: batch.actorKind, actor: batch.actor, recordedAt: time, reason: batch.reason,
            correlationID: batch.correlationID, causationID: batch.causationID, idempotencyKey: batch.idempotencyKey,
            into: &middle)
        let sharedMiddle = middle.bytes
        for proposed in batch.events {
            if proposed.stream != lastStreamID {
                if let known = touchedSlots[proposed.stream] {
                    slot = known
                } else {
                    let state: (number: UInt64, version: UInt64)
                    if let stored = try self.state(of: proposed.stream) {
                        state = stored
                    } else {
                        streamCount += 1
                        state = (streamCount, 0)
                    }
                    slot = touchedStates.count
                    touchedSlots[proposed.stream] = slot
                    touchedNames.append(proposed.stream)
                    touchedStates.append(state)
                    streamEntries.append([])
                }
                lastStreamID = proposed.stream
            }
            touchedStates[slot].version += 1
            let version = touchedStates[slot].version
            headSequence += 1
            let sequence = headSequence
            encoder.bytes.removeAll(keepingCapacity: true)
            if proposed.reason == nil {
                // The envelope fields after the type and schema are the same for the whole batch.
                CanonicalEventCodec.encodeHead(
                    sequence: sequence, stream: proposed.stream, streamVersion: version, type: proposed.type,
                    schemaVersion: proposed.schemaVersion, into: &encoder)
                encoder.writeRaw(sharedMiddle)
                encoder.writeBytes(proposed.payload)
            } else {
                CanonicalEventCodec.encode(
                    sequence: sequence, stream: proposed.stream, streamVersion: version, type: proposed.type,
                    schemaVersion: proposed.schemaVersion, actorKind: batch.actorKind, actor: batch.actor,
                    recordedAt: time, reason: proposed.reason!, correlationID: batch.correlationID,
                    causationID: batch.causationID, idempotencyKey: batch.idempotencyKey, payload: proposed.payload,
                    into: &encoder)
            }
            link = encoder.bytes.withUnsafeBytes { link.next($0) }
            ByteWriter.appendVarint(UInt64(encoder.bytes.count), to: &frameRaw)
            frameRaw.append(contentsOf: encoder.bytes)
            frameCount += 1
            streamEntries[slot].append(version.bigEndian)
            streamEntries[slot].append(sequence.bigEndian)
            actorEntries.append(sequence.bigEndian)
            if frameCount >= log.options.maxFrameEvents || frameRaw.count >= rawBudget {
                handFrameToBackground()
            }
        }
        var touched: [String: (number: UInt64, version: UInt64)] = [:]
        for (name, state) in zip(touchedNames, touchedStates) { touched[name] = state }
        if lastTime == nil || time.microseconds > lastTime! {
            try BigEndianKey.with(BigEndianKey.timeKey(time.microseconds)) { key in
                try BigEndianKey.with(first) { value in
                    try txn.put(dbs.timeIndex, key: key, value: value, flags: .append)
                }
            }
            lastTime = time.microseconds
        }
        try writeStreamIndex(numbers: touchedStates.map(\.number), entries: streamEntries)
        var actor = batch.actor
        try actor.withUTF8 { actorBytes in
            try txn.withCursor(dbs.actorIndex) { cursor in
                try actorEntries.withUnsafeBytes { items in
                    try cursor.putMultiple(
                        key: UnsafeRawBufferPointer(actorBytes), items: items, itemSize: 8, count: actorEntries.count)
                }
            }
        }
        for (index, name) in touchedNames.enumerated() {
            let state = touchedStates[index]
            // Only a new stream gets a `streams` entry; versions live in the stream index.
            if streams[name] == nil {
                var streamID = name
                try streamID.withUTF8 { key in
                    try BigEndianKey.with(state.number) { value in
                        try txn.put(dbs.streams, key: UnsafeRawBufferPointer(key), value: value, flags: .noOverwrite)
                    }
                }
            }
            streams[name] = state
        }
        if let key = batch.idempotencyKey {
            var value = BigEndianKey.bytes(first) + BigEndianKey.bytes(headSequence - first + 1)
            value += batch.fingerprint
            try txn.put(dbs.idempotency, key: Array(key.utf8), value: value)
        }
        return AppendResult(
            firstSequence: first, lastSequence: headSequence, streamVersions: touched.mapValues { $0.version },
            wasDuplicate: false)
    }

    /// Writes each stream's (version BE, sequence BE) pairs with one MDB_MULTIPLE call, in key order.
    private func writeStreamIndex(numbers: [UInt64], entries: [[UInt64]]) throws {
        let order = numbers.indices.sorted { numbers[$0] < numbers[$1] }
        try txn.withCursor(txn.databases.streamIndex) { cursor in
            for i in order {
                try BigEndianKey.with(numbers[i]) { key in
                    try entries[i].withUnsafeBytes { items in
                        try cursor.putMultiple(key: key, items: items, itemSize: 16, count: entries[i].count / 2)
                    }
                }
            }
        }
    }

    /// Queues the full frame for compression on the background thread and starts a new one.
    private mutating func handFrameToBackground() {
        let ticket = background.submit(raw: frameRaw, count: frameCount, link: link, dictionary: dictionary)
        backgroundFrames.append((frameKey, frameStored, ticket))
        rawBytesWritten += frameRaw.count
        frameKey = headSequence + 1
        frameRaw.removeAll(keepingCapacity: true)
        frameCount = 0
        frameStored = false
    }

    /// Stores the frames compressed in the background, in key order.
    private mutating func storeBackgroundFrames() throws {
        for frame in backgroundFrames {
            let value = try background.take(frame.ticket)
            compressedBytesWritten += value.count
            try BigEndianKey.with(frame.key) { key in
                try value.withUnsafeBytes { v in
                    try txn.put(txn.databases.events, key: key, value: v, flags: frame.stored ? [] : .append)
                }
            }
        }
        backgroundFrames.removeAll()
    }

    /// Compresses and stores the open frame on this thread.
    private mutating func flushFrame() throws {
        guard frameCount > 0 else { return }
        let value = try FrameHeader.encode(
            raw: frameRaw, eventCount: frameCount, endLink: link, dictionary: dictionary, compressor: compressor)
        rawBytesWritten += frameRaw.count
        compressedBytesWritten += value.count
        try BigEndianKey.with(frameKey) { key in
            try value.withUnsafeBytes { v in
                try txn.put(txn.databases.events, key: key, value: v, flags: frameStored ? [] : .append)
            }
        }
        frameKey = headSequence + 1
        frameRaw.removeAll(keepingCapacity: true)
        frameCount = 0
        frameStored = false
    }

    /// Stores the open frame and the new head.
    mutating func finish() throws {
        try storeBackgroundFrames()
        try flushFrame()
        var head = BigEndianKey.bytes(headSequence)
        head += BigEndianKey.bytes(BigEndianKey.timeKey(lastTime ?? 0))
        head += link.bytes
        try txn.put(txn.databases.meta, key: MetaKey.head, value: head)
    }
}
