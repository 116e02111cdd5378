import Foundation
import LedgerCore
public import LedgerStorage
public import ProjectionViews

/// Keeps the certification views current: applies log events to the view store in batches, each
/// batch's rows and checkpoint in one transaction, and answers "has it reached sequence N yet?".
///
/// ```swift
/// let runtime = try ProjectionRuntime(log: log, store: store)
/// try runtime.catchUp()                                 // apply everything the log has
/// try await runtime.waitUntil(sequence: result.lastSequence, timeout: .seconds(2))
/// ```
///
/// Blue/green: each projection version writes its own namespace of rows. When the code's version
/// differs from the served one, the new version is built beside the old, and the served pointer
/// flips once it has caught up; the old rows are then deleted. A projection that cannot apply an
/// event stops there and reports the sequence and the error (``Health/failure``); it never skips.
public final class ProjectionRuntime: @unchecked Sendable {
    /// A projection's progress, as `/health` and `runledger rebuild` report it.
    public struct Health: Sendable, Hashable {
        /// The projection, e.g. `certification@1`.
        public var projection: String
        /// The last sequence applied.
        public var checkpoint: UInt64
        /// The log's head.
        public var head: UInt64
        /// Events not yet applied.
        public var lag: UInt64 { head > checkpoint ? head - checkpoint : 0 }
        /// The event the projection stopped at, if it stopped.
        public var failure: Failure?
        /// The version that serves reads (the previous one while a new version is rebuilt).
        public var servedVersion: Int

        /// Creates a progress report.
        public init(projection: String, checkpoint: UInt64, head: UInt64, failure: Failure?, servedVersion: Int) {
            self.projection = projection
            self.checkpoint = checkpoint
            self.head = head
            self.failure = failure
            self.servedVersion = servedVersion
        }
    }

    /// An event the projection could not apply.
    public struct Failure: Sendable, Hashable, Error, CustomStringConvertible {
        /// Its sequence.
        public var sequence: UInt64
        /// Its type.
        public var type: String
        /// What went wrong.
        public var message: String

        /// Creates a failure report.
        public init(sequence: UInt64, type: String, message: String) {
            self.sequence = sequence
            self.type = type
            self.message = message
        }

        public var description: String { "event \(sequence) (\(type)) cannot be applied: \(message)" }
    }

    /// The log the views derive from.
    public let log: EventLog
    /// The view store.
    public let store: ViewStore
    /// Events per transaction.
    public var batchSize: Int
    /// The projection's identity, `certification@<version>`.
    public let projection: String
    /// The namespace the code's version writes.
    public let namespace: UInt8
    private let lock = NSLock()
    private var failure: Failure?
    private var applied: UInt64
    private var waiters: [(UInt64, CheckedContinuation<Void, Never>)] = []
    private var servedNamespace: UInt8
    private var servedVersion: Int

    /// Opens the runtime; chooses the namespace for the code's projection version.
    public init(log: EventLog, store: ViewStore, batchSize: Int = 20_000) throws {
        self.log = log
        self.store = store
        self.batchSize = batchSize
        let version = CertificationProjection.version
        projection = "\(CertificationProjection.name)@\(version)"
        let (ns, served, servedVer, checkpoint) = try store.write { w -> (UInt8, UInt8, Int, UInt64) in
            let ns = try w.namespace(for: "\(CertificationProjection.name)@\(version)").namespace
            if try w.meta("served/\(CertificationProjection.name)") == nil {
                try w.setMeta("served/\(CertificationProjection.name)", [ns] + Array(String(version).utf8))
            }
            let served = try w.meta("served/\(CertificationProjection.name)")!
            return (ns, served[0], Int(String(decoding: served.dropFirst(), as: UTF8.self)) ?? version,
                try w.checkpoint("\(CertificationProjection.name)@\(version)"))
        }
        namespace = ns
        servedNamespace = served
        servedVersion = servedVer
        applied = checkpoint
    }

    /// The namespace reads should use (the served version's).
    public var readNamespace: UInt8 {
        lock.lock()
        defer { lock.unlock() }
        return servedNamespace
    }

    /// The last sequence the code's version has applied.
    public var checkpoint: UInt64 {
        lock.lock()
        defer { lock.unlock() }
        return applied
    }

    /// The projection's progress.
    public func health() throws -> Health {
        lock.lock()
        let f = failure
        let c = applied
        let v = servedVersion
        lock.unlock()
        return Health(projection: projection, checkpoint: c, head: try log.head().sequence, failure: f, servedVersion: v)
    }

    /// Applies every event after the checkpoint, in batches, until the log's head (as read at the
    /// start). Returns the number applied. Throws the ``Failure`` when an event cannot be applied
    /// (the events before it are committed).
    @discardableResult
    public func catchUp(through limit: UInt64? = nil, progress: ((UInt64, UInt64) -> Void)? = nil) throws -> UInt64 {
        if let f = lockedFailure() { throw f }
        let head = try log.head().sequence
        let target = min(head, limit ?? head)
        var count: UInt64 = 0
        while checkpoint < target {
            let from = checkpoint + 1
            let events = try log.read { try $0.events(from: from, limit: Int(min(UInt64(batchSize), target - checkpoint))) }
            guard !events.isEmpty else { break }
            let (done, failed) = try applyBatch(events)
            count += done
            progress?(checkpoint, target)
            if let failed {
                lock.lock()
                failure = failed
                lock.unlock()
                throw failed
            }
        }
        try flipIfCaughtUp()
        return count
    }

    private func lockedFailure() -> Failure? {
        lock.lock()
        defer { lock.unlock() }
        return failure
    }

    /// Applies `events` in one transaction; stops at the first event that cannot be applied.
    private func applyBatch(_ events: [RecordedEvent]) throws -> (UInt64, Failure?) {
        let ns = namespace
        let name = projection
        let (last, failed) = try store.write { w -> (UInt64, Failure?) in
            let reader = StoreReader(writer: w, namespace: ns)
            var last = try w.checkpoint(name)
            for event in events where event.sequence > last {
                let updates: [ViewUpdate]
                do {
                    updates = try CertificationProjection.apply(event, reader: reader)
                } catch {
                    try w.setCheckpoint(name, last)
                    return (last, Failure(sequence: event.sequence, type: event.type, message: "\(error)"))
                }
                for u in updates {
                    try w.put(namespace: ns, view: u.key.view.index, entity: u.key.key, version: event.sequence, value: u.value)
                }
                last = event.sequence
            }
            try w.setCheckpoint(name, last)
            return (last, nil)
        }
        let before = setApplied(last)
        return (last - before, failed)
    }

    private func setApplied(_ sequence: UInt64) -> UInt64 {
        lock.lock()
        let before = applied
        applied = sequence
        var ready: [CheckedContinuation<Void, Never>] = []
        waiters.removeAll { entry in
            if entry.0 <= sequence {
                ready.append(entry.1)
                return true
            }
            return false
        }
        lock.unlock()
        for r in ready { r.resume() }
        return before
    }

    /// Switches reads to the code's version once it has caught up, and deletes the old rows.
    private func flipIfCaughtUp() throws {
        guard readNamespace != namespace else { return }
        let head = try log.head().sequence
        guard checkpoint >= head else { return }
        let old = readNamespace
        try store.write { w in
            try w.setMeta(
                "served/\(CertificationProjection.name)", [namespace] + Array(String(CertificationProjection.version).utf8))
            try w.deleteNamespace(old)
        }
        lock.lock()
        servedNamespace = namespace
        servedVersion = CertificationProjection.version
        lock.unlock()
    }

    /// Deletes the code's version's rows and checkpoint, then rebuilds it from the whole log.
    @discardableResult
    public func rebuild(progress: ((UInt64, UInt64) -> Void)? = nil) throws -> UInt64 {
        try reset()
        return try catchUp(progress: progress)
    }

    /// Deletes the code's version's rows and sets its checkpoint to 0 (the first half of a rebuild).
    public func reset() throws {
        try store.write { w in
            try w.deleteNamespace(namespace)
            try w.setCheckpoint(projection, 0)
        }
        lock.lock()
        applied = 0
        failure = nil
        lock.unlock()
    }

    private func removeWaiters(for sequence: UInt64) -> [CheckedContinuation<Void, Never>] {
        lock.withLock {
            let stale = waiters.filter { $0.0 == sequence }.map(\.1)
            waiters.removeAll { $0.0 == sequence }
            return stale
        }
    }

    /// Registers a waiter unless `sequence` is already applied (then resumes it at once).
    private func addWaiter(_ sequence: UInt64, _ c: CheckedContinuation<Void, Never>) {
        let ready: Bool = lock.withLock {
            if applied >= sequence { return true }
            waiters.append((sequence, c))
            return false
        }
        if ready { c.resume() }
    }

    /// Waits until the views reflect `sequence` (read-your-writes), or `timeout` passes.
    ///
    /// - Returns: true when reached, false on timeout.
    public func waitUntil(sequence: UInt64, timeout: Duration) async -> Bool {
        if checkpoint >= sequence { return true }
        return await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
                    self.addWaiter(sequence, c)
                }
                return true
            }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return false
            }
            let first = await group.next() ?? false
            if !first {
                // Release the waiter so the first task can finish.
                let stale = self.removeWaiters(for: sequence)
                for c in stale { c.resume() }
            }
            group.cancelAll()
            return first
        }
    }
}

/// Reads the latest version of a row through the projection's write transaction.
struct StoreReader: ViewReader {
    let writer: ViewWriter
    let namespace: UInt8

    func latest(_ key: ViewKey) throws -> [UInt8]? {
        try writer.row(namespace: namespace, view: key.view.index, entity: key.key, asOf: nil)?.value ?? nil
    }
}

extension ViewName {
    /// The byte that identifies this view in row keys (its position in `allCases`).
    public var index: UInt8 { UInt8(Self.allCases.firstIndex(of: self)!) }
}
