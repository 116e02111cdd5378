import Certification
import Foundation
public import GoldenJSON
import LedgerCore
import LedgerStorage
import ProjectionViews
public import Projections
import Rules

/// Keeps one certification-JSON definition's output current: one versioned row per (run,
/// dataset) matching its filter, holding that dataset's ``SegmentResult`` (certified and rejected
/// ranges, luminosity in and lost, per-clause flagged-false luminosity), derived from the
/// certification views.
///
/// ```swift
/// let golden = try CertificationJSONRuntime(definition: definition, base: runtime)
/// try runtime.catchUp()                       // the certification views first
/// try golden.catchUp()                        // then the rows that read them
/// let result = try golden.result(asOf: sequence)
/// ```
///
/// For every event after its checkpoint (never beyond the certification views' checkpoint), it
/// asks ``CertificationJSONRelevance`` which datasets the event touches, evaluates only those
/// (``GoldenEvaluation``, reading the certification views as of that event's sequence), and writes
/// a new row version at that sequence only when the row's bytes change. Rows and checkpoint go in
/// one transaction; an event it cannot apply stops it (``ProjectionRuntime/Failure``), never
/// skipped. Each definition identity (name and content hash) has its own namespace: a changed
/// definition is built beside the served one and served once it has caught up with the log.
public final class CertificationJSONRuntime: MaintainedProjection, @unchecked Sendable {
    /// The definition it maintains.
    public let definition: CertificationJSONDefinition
    /// The certification views it reads.
    public let base: ProjectionRuntime
    /// Events per transaction.
    public var batchSize: Int
    /// The identity, `certjson/<name>@<content hash prefix>`.
    public let projection: String
    /// The namespace this identity writes.
    public let namespace: UInt8
    /// The view byte of the rows inside the namespace.
    public static let rowsView: UInt8 = 0

    private let relevance: CertificationJSONRelevance
    private let evaluation: GoldenEvaluation
    private let emptyRow: [UInt8]
    private let lock = NSLock()
    private var failure: ProjectionRuntime.Failure?
    private var applied: UInt64
    private var served: (namespace: UInt8, identity: String)
    private var counters = (evaluations: 0, rowsWritten: 0)
    private let waiters: CheckpointWaiters
    /// The checkpoint as stored, and when it was last stored: events that write no row advance
    /// only the in-memory checkpoint, stored at the next row, or after a second or 10,000 events.
    private var durable: (checkpoint: UInt64, at: UInt64) = (0, 0)
    private static let deferredEvents: UInt64 = 10_000
    private static let deferredNanoseconds: UInt64 = 1_000_000_000

    /// Where the served identity of a definition name is recorded.
    static func servedKey(_ name: String) -> String { "served/certjson/\(name)" }

    /// Opens the runtime of `definition` over `base`'s views; chooses its identity's namespace.
    public init(definition: CertificationJSONDefinition, base: ProjectionRuntime, batchSize: Int = 20_000) throws {
        self.definition = definition
        self.base = base
        self.batchSize = batchSize
        let identity = definition.identity
        projection = identity
        relevance = CertificationJSONRelevance(rule: definition.rule)
        evaluation = GoldenEvaluation(rule: definition.rule)
        var empty = SegmentResult()
        empty.clauseFalseRecorded = Array(repeating: 0, count: definition.rule.clauses.count)
        empty.clauseAloneRecorded = empty.clauseFalseRecorded
        emptyRow = empty.encodedRow()
        let (ns, servedNS, servedIdentity, checkpoint) = try base.store.write { w -> (UInt8, UInt8, String, UInt64) in
            let (ns, isNew) = try w.namespace(for: identity)
            if isNew { try w.setCheckpoint(identity, 0) }
            let servedKey = Self.servedKey(definition.name)
            if try w.meta(servedKey) == nil { try w.setMeta(servedKey, [ns] + Array(identity.utf8)) }
            let served = try w.meta(servedKey)!
            return (ns, served[0], String(decoding: served.dropFirst(), as: UTF8.self), try w.checkpoint(identity))
        }
        namespace = ns
        served = (servedNS, servedIdentity)
        applied = checkpoint
        durable = (checkpoint, DispatchTime.now().uptimeNanoseconds)
        waiters = CheckpointWaiters(checkpoint: checkpoint)
    }

    /// Waits until the rows reflect `sequence` (read-your-writes), or `timeout` passes.
    ///
    /// - Returns: true when reached, false on timeout.
    public func waitUntil(sequence: UInt64, timeout: Duration) async -> Bool {
        await waiters.wait(until: sequence, timeout: timeout)
    }

    /// The last sequence this identity has applied.
    public var checkpoint: UInt64 { lock.withLock { applied } }

    /// The identity whose rows serve reads (the previous one while a changed definition is rebuilt).
    public var servedIdentity: String { lock.withLock { served.identity } }

    /// The namespace and identity whose rows serve reads.
    var servedRows: (namespace: UInt8, identity: String) { lock.withLock { served } }

    /// Rule evaluations and row versions written since the runtime was opened.
    public var work: (evaluations: Int, rowsWritten: Int) { lock.withLock { counters } }

    /// The projection's progress; `servedVersion` is 1 when this identity serves, 0 while an older
    /// identity still does.
    public func health() throws -> ProjectionRuntime.Health {
        let (f, c, s) = lock.withLock { (failure, applied, served.namespace) }
        return ProjectionRuntime.Health(
            projection: projection, checkpoint: c, head: try base.log.head().sequence, failure: f,
            servedVersion: s == namespace ? 1 : 0)
    }

    /// Applies every event after the checkpoint, up to the log's head (or `limit`) but never beyond
    /// the certification views' checkpoint, in batches. Returns the number applied.
    ///
    /// - Throws: the ``ProjectionRuntime/Failure`` of an event it cannot apply (those before it are committed).
    @discardableResult
    public func catchUp(through limit: UInt64? = nil, progress: ((UInt64, UInt64) -> Void)? = nil) throws -> UInt64 {
        if let f = lock.withLock({ failure }) { throw f }
        let target = min(limit ?? .max, base.checkpoint, try base.log.head().sequence)
        var count: UInt64 = 0
        while checkpoint < target {
            let from = checkpoint + 1
            let events = try base.log.read { try $0.events(from: from, limit: Int(min(UInt64(batchSize), target - checkpoint))) }
            guard !events.isEmpty else { break }
            let before = checkpoint
            let failed = try applyBatch(events)
            count += checkpoint - before
            progress?(checkpoint, target)
            if let failed {
                lock.withLock { failure = failed }
                throw failed
            }
        }
        try flipIfCaughtUp()
        return count
    }

    /// Deletes this identity's rows and checkpoint, then rebuilds it from the whole log (the
    /// certification views must hold the events it reads).
    @discardableResult
    public func rebuild(progress: ((UInt64, UInt64) -> Void)? = nil) throws -> UInt64 {
        try reset()
        let applied = try catchUp(progress: progress)
        try storeCheckpoint()
        return applied
    }

    /// Deletes this identity's rows and sets its checkpoint to 0 (the first half of a rebuild).
    public func reset() throws {
        try base.store.write { w in
            try w.deleteNamespace(namespace)
            try w.setCheckpoint(projection, 0)
        }
        lock.withLock {
            applied = 0
            durable = (0, DispatchTime.now().uptimeNanoseconds)
            failure = nil
        }
    }

    /// Stores the in-memory checkpoint if events that wrote no row advanced it past the stored one.
    public func storeCheckpoint() throws {
        let (memory, stored) = lock.withLock { (applied, durable.checkpoint) }
        guard memory > stored else { return }
        let ok = try base.store.write { w -> Bool in
            guard try w.checkpoint(projection) == stored else { return false }
            try w.setCheckpoint(projection, memory)
            return true
        }
        if ok { lock.withLock { durable = (memory, DispatchTime.now().uptimeNanoseconds) } }
    }

    /// Applies `events`; stops at the first event that cannot be applied.
    ///
    /// The rows are computed on a read snapshot (the certification views' rows it reads are
    /// committed), so the write lock is held only to store them with the checkpoint, in one
    /// transaction. If another writer moved the checkpoint meanwhile, nothing is stored.
    private func applyBatch(_ events: [RecordedEvent]) throws -> ProjectionRuntime.Failure? {
        let ns = namespace
        let baseNamespace = base.namespace
        let name = projection
        let filter = definition.filter
        // Dataset names repeat across events; match each once per batch.
        var matched: [String: Bool] = [:]
        func matches(_ name: String) -> Bool {
            if let known = matched[name] { return known }
            let m = filter.matches(name)
            matched[name] = m
            return m
        }
        var evaluations = 0
        var pending: [(entity: [UInt8], version: UInt64, row: [UInt8])] = []
        let (start, last, failed) = try base.store.read { snapshot -> (UInt64, UInt64, ProjectionRuntime.Failure?) in
            let start = try snapshot.checkpoint(name)
            var last = start
            // Run rows read at an earlier event stay valid until an event touches the run.
            var runs: [Int: GoldenEvaluation.RunInputs] = [:]
            // This batch's latest row per dataset; older ones come from the snapshot.
            var latest: [[UInt8]: [UInt8]] = [:]
            for event in events where event.sequence > last {
                guard relevance.mayMatter(eventType: event.type) else {
                    last = event.sequence
                    continue
                }
                let reader = ViewSnapshotReader(rows: snapshot, namespace: baseNamespace, sequence: event.sequence)
                let pendingBefore = pending.count
                do {
                    let keys: [DatasetKey]
                    switch relevance.touch(try CertificationEvent.decode(event)) {
                    case .nothing:
                        keys = []
                    case .dataset(let key):
                        keys = matches(key.name) ? [key] : []
                    case .run(let run):
                        runs[run] = nil
                        keys = try reader.datasetKeys(run: run).filter { matches($0.name) }
                    }
                    for key in keys {
                        let runInputs: GoldenEvaluation.RunInputs
                        if let cached = runs[key.run] {
                            runInputs = cached
                        } else {
                            runInputs = try evaluation.runInputs(key.run, reader: reader)
                            runs[key.run] = runInputs
                        }
                        let row = try evaluation.evaluate(key, run: runInputs, reader: reader)?.encodedRow() ?? emptyRow
                        evaluations += 1
                        let entity = ViewKeys.dataset(key).key
                        let current = try latest[entity]
                            ?? snapshot.row(namespace: ns, view: Self.rowsView, entity: entity, asOf: nil)?.value ?? nil
                        guard current != row else { continue }
                        latest[entity] = row
                        pending.append((entity, event.sequence, row))
                    }
                } catch let error as LedgerError {
                    throw error
                } catch {
                    // Nothing of the failing event is stored: the rows end where the checkpoint does.
                    pending.removeLast(pending.count - pendingBefore)
                    return (start, last, ProjectionRuntime.Failure(sequence: event.sequence, type: event.type, message: "\(error)"))
                }
                last = event.sequence
            }
            return (start, last, nil)
        }
        let now = DispatchTime.now().uptimeNanoseconds
        let stored = lock.withLock { durable }
        if pending.isEmpty, failed == nil, last - stored.checkpoint < Self.deferredEvents,
            now - stored.at < Self.deferredNanoseconds, stored.checkpoint == start
        {
            // Nothing to store: the events wrote no row. Re-applying them after a restart writes none either.
            lock.withLock {
                applied = last
                counters.evaluations += evaluations
            }
            waiters.advance(to: last)
            return nil
        }
        let committed = try base.store.write { w -> Bool in
            guard try w.checkpoint(name) == start else { return false }
            for p in pending {
                try w.put(namespace: ns, view: Self.rowsView, entity: p.entity, version: p.version, value: p.row)
            }
            try w.setCheckpoint(name, last)
            return true
        }
        guard committed else {
            // Another writer applied these events; take its checkpoint and go on from there.
            let theirs = try base.store.read { try $0.checkpoint(name) }
            lock.withLock {
                applied = theirs
                durable = (theirs, now)
            }
            waiters.advance(to: theirs)
            return nil
        }
        let rows = pending.count
        defer { waiters.advance(to: last) }
        lock.withLock {
            applied = last
            durable = (last, now)
            counters.evaluations += evaluations
            counters.rowsWritten += rows
        }
        return failed
    }

    /// Serves this identity once it has caught up with the log; deletes the previous one's rows.
    private func flipIfCaughtUp() throws {
        let old = lock.withLock { served }
        guard old.namespace != namespace || old.identity != projection else { return }
        guard checkpoint >= (try base.log.head().sequence) else { return }
        try storeCheckpoint()
        try base.store.write { w in
            try w.setMeta(Self.servedKey(definition.name), [namespace] + Array(projection.utf8))
            if old.namespace != namespace {
                try w.deleteNamespace(old.namespace)
                try w.removeMeta("namespace/\(old.identity)")
                try w.removeCheckpoint(old.identity)
            }
        }
        lock.withLock { served = (namespace, projection) }
    }
}
