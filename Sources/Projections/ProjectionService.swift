public import Logging
public import ServiceLifecycle
import Foundation
import LedgerCore

/// The long-running projection worker: tails the log and keeps the views current until graceful
/// shutdown, then the projections derived from them (``followers``, e.g. the certification-JSON
/// definitions) in order. A stopped projection (a poison event) keeps running as a service and
/// reports the failure through its `health()`; it never skips the event, and the others go on.
public struct ProjectionService: Service {
    /// The runtime it drives.
    public let runtime: ProjectionRuntime
    /// Projections that read the certification views, brought up to them after each round.
    public let followers: [any MaintainedProjection]
    /// How long to sleep when the views are current.
    public var pollInterval: Duration
    private let logger: Logger

    /// Creates the service.
    public init(
        runtime: ProjectionRuntime, followers: [any MaintainedProjection] = [], logger: Logger,
        pollInterval: Duration = .milliseconds(5)
    ) {
        self.runtime = runtime
        self.followers = followers
        self.logger = logger
        self.pollInterval = pollInterval
    }

    public func run() async throws {
        let all: [any MaintainedProjection] = [runtime] + followers
        var reported = Set<String>()
        while !Task.isCancelledOrShuttingDown {
            var applied: UInt64 = 0
            for projection in all {
                do {
                    applied += try projection.catchUp(through: nil, progress: nil)
                } catch let failure as ProjectionRuntime.Failure {
                    if reported.insert(projection.projection).inserted {
                        logger.error(
                            "projection stopped",
                            metadata: ["projection.name": "\(projection.projection)", "log.position": "\(failure.sequence)",
                                "error": "\(failure.message)"])
                    }
                } catch {
                    logger.error(
                        "projection error; retrying", metadata: ["projection.name": "\(projection.projection)", "error": "\(error)"])
                }
            }
            if applied == 0 {
                // Idle: store the checkpoints that events writing no row left only in memory.
                for projection in followers { try? projection.storeCheckpoint() }
                try? await Task.sleep(for: reported.isEmpty ? pollInterval : .milliseconds(200))
            }
        }
    }
}

extension Task where Success == Never, Failure == Never {
    /// Whether the current task is cancelled or the service group is shutting down gracefully.
    static var isCancelledOrShuttingDown: Bool { Task.isCancelled || Task.isShuttingDownGracefully }
}
