import Foundation

/// A projection that a worker keeps current from the log: the certification views, or a view
/// derived from them (a certification-JSON definition).
///
/// Every implementation writes its rows and its checkpoint in one transaction, stops at an event
/// it cannot apply (throwing ``ProjectionRuntime/Failure``) and never skips it.
public protocol MaintainedProjection: AnyObject, Sendable {
    /// The projection's identity, e.g. `certification@2` or `certjson/dcs-only@1a2b3c4d5e6f`.
    var projection: String { get }
    /// The last sequence applied.
    var checkpoint: UInt64 { get }
    /// Applies every event after the checkpoint up to the log's head (or `limit`); returns how many.
    @discardableResult
    func catchUp(through limit: UInt64?, progress: ((UInt64, UInt64) -> Void)?) throws -> UInt64
    /// Deletes this version's rows and sets its checkpoint to 0.
    func reset() throws
    /// Deletes this version's rows and checkpoint, then applies the whole log again.
    @discardableResult
    func rebuild(progress: ((UInt64, UInt64) -> Void)?) throws -> UInt64
    /// The projection's progress.
    func health() throws -> ProjectionRuntime.Health
    /// Stores a checkpoint that is ahead only in memory (events that wrote no row); a no-op when
    /// the stored one is current.
    func storeCheckpoint() throws
}

extension ProjectionRuntime: MaintainedProjection {
    /// Does nothing: the certification views store their checkpoint with every batch.
    public func storeCheckpoint() throws {}
}

/// A rebuild of the certification views with the projections that read them following on a
/// second thread: each follower applies what the views have committed so far, so on two cores
/// the followers' work overlaps the views' own.
public enum FollowingRebuild {
    /// What a rebuild took.
    public struct Timing: Sendable {
        /// Events applied to the certification views.
        public var events: UInt64
        /// Seconds until the certification views were rebuilt.
        public var baseSeconds: Double
        /// Seconds until every follower had caught up too.
        public var totalSeconds: Double
    }

    /// Resets `base` and `followers`, then rebuilds `base` on this thread while the followers
    /// catch up behind it on another.
    ///
    /// - Throws: the first ``ProjectionRuntime/Failure`` (of the views, else of a follower).
    public static func run(
        base: ProjectionRuntime, followers: [any MaintainedProjection],
        progress: ((UInt64, UInt64) -> Void)? = nil
    ) throws -> Timing {
        try base.reset()
        for f in followers { try f.reset() }
        let started = DispatchTime.now().uptimeNanoseconds
        let state = FollowerState()
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            defer { done.signal() }
            var finished = Set<Int>()
            while finished.count < followers.count {
                let baseDone = state.baseDone
                var progressed: UInt64 = 0
                for (i, f) in followers.enumerated() where !finished.contains(i) {
                    do {
                        progressed += try f.catchUp(through: nil, progress: nil)
                    } catch {
                        state.fail(error)
                        finished.insert(i)
                        continue
                    }
                    if baseDone && f.checkpoint >= base.checkpoint { finished.insert(i) }
                }
                if progressed == 0 && !baseDone { Thread.sleep(forTimeInterval: 0.002) }
            }
        }
        thread.start()
        let events: UInt64
        do {
            events = try base.catchUp(progress: progress)
        } catch {
            state.finishBase()
            done.wait()
            throw error
        }
        let baseSeconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        state.finishBase()
        done.wait()
        if let error = state.error { throw error }
        for f in followers { try f.storeCheckpoint() }
        return Timing(
            events: events, baseSeconds: baseSeconds,
            totalSeconds: Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9)
    }
}

/// What the follower thread and the rebuilding thread share.
private final class FollowerState: @unchecked Sendable {
    private let lock = NSLock()
    private var _baseDone = false
    private var _error: (any Error)?

    var baseDone: Bool { lock.withLock { _baseDone } }
    var error: (any Error)? { lock.withLock { _error } }
    func finishBase() { lock.withLock { _baseDone = true } }
    func fail(_ e: any Error) { lock.withLock { if _error == nil { _error = e } } }
}
