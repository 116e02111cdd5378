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
    /// Deletes this version's rows and checkpoint, then applies the whole log again.
    @discardableResult
    func rebuild(progress: ((UInt64, UInt64) -> Void)?) throws -> UInt64
    /// The projection's progress.
    func health() throws -> ProjectionRuntime.Health
}

extension ProjectionRuntime: MaintainedProjection {}
