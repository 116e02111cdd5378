public import Foundation
public import LedgerCore

/// The outcome of verifying (or replaying) the whole log.
public struct VerificationReport: Sendable {
    /// Events that decoded and chained correctly before any failure.
    public var eventsVerified: UInt64
    /// Stored frames read.
    public var frames: UInt64
    /// The chain link after the last verified event.
    public var headLink: ChainHash
    /// The head sequence the log claims.
    public var headSequence: UInt64
    /// Event counts by type (when requested).
    public var typeCounts: [String: UInt64]
    /// The first failure, if any.
    public var failure: Failure?
    /// Wall-clock seconds the scan took.
    public var seconds: Double

    /// The first sequence that could not be trusted and why.
    public struct Failure: Sendable, Error, CustomStringConvertible {
        /// The first bad sequence.
        public var sequence: UInt64
        /// What was wrong.
        public var message: String

        public var description: String { "sequence \(sequence): \(message)" }
    }

    /// Whether every record decoded and the chain matched.
    public var isValid: Bool { failure == nil }
}

extension EventLog {
    /// Recomputes the hash chain over every event, decodes every record, and checks gaplessness
    /// and the head, using up to `workers` threads over disjoint frame ranges.
    ///
    /// - Parameters:
    ///   - countTypes: also count events by type (for statistics).
    ///   - progress: called now and then with the number of events verified so far.
    public func verify(
        workers requestedWorkers: Int = ProcessInfo.processInfo.activeProcessorCount, countTypes: Bool = false,
        progress: (@Sendable (UInt64) -> Void)? = nil
    ) throws -> VerificationReport {
        let started = Date()
        let head = try self.head()
        var report = VerificationReport(
            eventsVerified: 0, frames: 0, headLink: .genesis, headSequence: head.sequence, typeCounts: [:],
            failure: nil, seconds: 0)
        guard head.sequence > 0 else {
            let frameCount = try read { try $0.transaction.entryCount($0.transaction.databases.events) }
            if frameCount > 0 {
                report.failure = .init(sequence: 1, message: "the head says the log is empty but \(frameCount) frames are stored")
            }
            return report
        }
        // Split into ranges that start at frame keys, with the link stored before each range.
        let workers = max(1, min(requestedWorkers, 8, Int(head.sequence / 4096) + 1))
        let starts: [(key: UInt64, link: ChainHash)] = try read { snapshot in
            var result: [(UInt64, ChainHash)] = [(1, .genesis)]
            try snapshot.transaction.withCursor(snapshot.transaction.databases.events) { cursor in
                for w in 1..<workers {
                    let target = head.sequence * UInt64(w) / UInt64(workers)
                    let found = try BigEndianKey.with(target) { key in
                        try cursor.move(.atOrAfter(key)) { k, _ in BigEndianKey.read(k) }
                    }
                    guard let key = found, key > result.last!.0 else { continue }
                    let previousLink = try? cursor.move(.previous) { _, v in try FrameHeader.parse(v).endLink }
                    guard let link = previousLink ?? nil else { continue }
                    result.append((key, link))
                }
            }
            return result
        }
        let counter = ProgressCounter(progress)
        let partials = ConcurrentResults<RangeOutcome>(count: starts.count)
        runOnThreads(count: starts.count) { index in
            let end = index + 1 < starts.count ? starts[index + 1].key : UInt64.max
            let outcome: RangeOutcome
            do {
                outcome = try self.verifyRange(
                    from: starts[index].key, before: end, startLink: starts[index].link, countTypes: countTypes,
                    counter: counter)
            } catch {
                outcome = RangeOutcome(
                    events: 0, frames: 0, endLink: starts[index].link, nextSequence: starts[index].key, typeCounts: [:],
                    failure: .init(sequence: starts[index].key, message: "\(error)"))
            }
            partials.set(index, outcome)
        }
        var expectedNext: UInt64 = 1
        for (index, outcome) in partials.values.enumerated() {
            guard let outcome else { continue }
            report.frames += outcome.frames
            for (t, c) in outcome.typeCounts { report.typeCounts[t, default: 0] += c }
            if report.failure != nil { continue }
            if starts[index].key != expectedNext {
                report.failure = .init(
                    sequence: expectedNext, message: "events \(expectedNext)...\(starts[index].key - 1) are missing")
                continue
            }
            report.eventsVerified += outcome.events
            report.headLink = outcome.endLink
            expectedNext = outcome.nextSequence
            if let failure = outcome.failure { report.failure = failure }
        }
        if report.failure == nil {
            if expectedNext - 1 != head.sequence {
                report.failure = .init(
                    sequence: min(expectedNext, head.sequence + 1),
                    message: "the head says \(head.sequence) events, the frames hold \(expectedNext - 1)")
            } else if report.headLink != head.link {
                report.failure = .init(
                    sequence: head.sequence, message: "the stored head link differs from the recomputed chain")
            }
        }
        report.seconds = Date().timeIntervalSince(started)
        return report
    }

    struct RangeOutcome: Sendable {
        var events: UInt64
        var frames: UInt64
        var endLink: ChainHash
        var nextSequence: UInt64
        var typeCounts: [String: UInt64]
        var failure: VerificationReport.Failure?
    }

    /// Verifies the frames with keys in `[first, end)`, starting from `startLink`.
    private func verifyRange(
        from first: UInt64, before end: UInt64, startLink: ChainHash, countTypes: Bool, counter: ProgressCounter
    ) throws -> RangeOutcome {
        try read { snapshot in
            var outcome = RangeOutcome(
                events: 0, frames: 0, endLink: startLink, nextSequence: first, typeCounts: [:], failure: nil)
            var link = startLink
            var raw: [UInt8] = []
            var sinceReport: UInt64 = 0
            var typeCounts: [String: UInt64] = [:]
            try snapshot.transaction.withCursor(snapshot.transaction.databases.events) { cursor in
                var entry: (UInt64, Result<FrameHeader, any Error>, UnsafeRawBufferPointer)? = try BigEndianKey.with(first) {
                    key in
                    try cursor.move(.atOrAfter(key)) { k, v in (BigEndianKey.read(k), Result { try FrameHeader.parse(v) }, v) }
                }
                while let (key, parsed, value) = entry, key < end {
                    let expected = outcome.nextSequence
                    guard key == expected else {
                        outcome.failure = .init(
                            sequence: expected,
                            message: key > expected
                                ? "events \(expected)...\(key - 1) are missing" : "frame \(key) overlaps the previous frame")
                        return
                    }
                    let header: FrameHeader
                    do {
                        header = try parsed.get()
                        try snapshot.decompressFrame(value: value, header: header, into: &raw)
                    } catch {
                        outcome.failure = .init(sequence: key, message: "frame \(key) is unreadable: \(error)")
                        return
                    }
                    let frameEnd = key + UInt64(header.eventCount) - 1
                    var failure: VerificationReport.Failure?
                    do {
                        try raw.withUnsafeBytes { rawBytes in
                            try FrameEvents.forEach(raw: rawBytes, count: header.eventCount) { index, bytes in
                                let seq = key + UInt64(index)
                                guard failure == nil else { return }
                                do {
                                    let view = try EventView(decoding: bytes)
                                    guard view.sequence == seq else {
                                        failure = .init(sequence: seq, message: "slot \(seq) holds sequence \(view.sequence)")
                                        return
                                    }
                                    if countTypes { typeCounts[view.typeName, default: 0] += 1 }
                                } catch {
                                    failure = .init(sequence: seq, message: "event \(seq) does not decode: \(error)")
                                    return
                                }
                                link = link.next(bytes)
                            }
                        }
                    } catch {
                        failure = .init(sequence: key, message: "frame \(key)...\(frameEnd) is malformed: \(error)")
                    }
                    if let failure {
                        outcome.failure = failure
                        return
                    }
                    guard link == header.endLink else {
                        outcome.failure = .init(
                            sequence: key,
                            message: "hash chain mismatch in frame \(key)...\(frameEnd): the stored link is \(header.endLink.hex), recomputed \(link.hex)"
                        )
                        return
                    }
                    outcome.events += UInt64(header.eventCount)
                    outcome.frames += 1
                    outcome.endLink = link
                    outcome.nextSequence = frameEnd + 1
                    sinceReport += UInt64(header.eventCount)
                    if sinceReport >= 65_536 {
                        counter.add(sinceReport)
                        sinceReport = 0
                    }
                    entry = try cursor.move(.next) { k, v in (BigEndianKey.read(k), Result { try FrameHeader.parse(v) }, v) }
                }
            }
            counter.add(sinceReport)
            outcome.typeCounts = typeCounts
            return outcome
        }
    }
}

/// A thread-safe running total that reports progress.
final class ProgressCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var total: UInt64 = 0
    private let report: (@Sendable (UInt64) -> Void)?

    init(_ report: (@Sendable (UInt64) -> Void)?) {
        self.report = report
    }

    func add(_ n: UInt64) {
        guard n > 0 else { return }
        lock.lock()
        total += n
        let t = total
        lock.unlock()
        report?(t)
    }
}

/// Slots that concurrent workers fill by index.
final class ConcurrentResults<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var values: [T?]

    init(count: Int) {
        values = Array(repeating: nil, count: count)
    }

    func set(_ index: Int, _ value: T) {
        lock.lock()
        values[index] = value
        lock.unlock()
    }
}

/// Runs `body(0..<count)` on `count` dedicated threads and waits for all of them.
///
/// Dedicated threads, not the cooperative pool or `concurrentPerform`, so a scan started from an
/// async context really uses every core.
func runOnThreads(count: Int, _ body: @escaping @Sendable (Int) -> Void) {
    guard count > 1 else {
        body(0)
        return
    }
    let group = DispatchGroup()
    for index in 0..<count {
        group.enter()
        let thread = Thread {
            body(index)
            group.leave()
        }
        thread.stackSize = 8 << 20
        thread.start()
    }
    group.wait()
}
