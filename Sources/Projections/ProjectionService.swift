public import Logging
public import ServiceLifecycle
import Foundation
import LedgerCore

/// The long-running projection worker: tails the log and keeps the views current until graceful
/// shutdown. A stopped projection (a poison event) keeps running as a service and reports the
/// failure through ``ProjectionRuntime/health()``; it never skips the event.
public struct ProjectionService: Service {
    /// The runtime it drives.
    public let runtime: ProjectionRuntime
    /// How long to sleep when the views are current.
    public var pollInterval: Duration
    private let logger: Logger

    /// Creates the service.
    public init(runtime: ProjectionRuntime, logger: Logger, pollInterval: Duration = .milliseconds(5)) {
        self.runtime = runtime
        self.logger = logger
        self.pollInterval = pollInterval
    }

    public func run() async throws {
        var reportedFailure = false
        while !Task.isCancelledOrShuttingDown {
            do {
                let applied = try runtime.catchUp()
                if applied == 0 { try? await Task.sleep(for: pollInterval) }
            } catch let failure as ProjectionRuntime.Failure {
                if !reportedFailure {
                    logger.error(
                        "projection stopped",
                        metadata: ["projection.name": "\(runtime.projection)", "log.position": "\(failure.sequence)",
                            "error": "\(failure.message)"])
                    reportedFailure = true
                }
                try? await Task.sleep(for: .seconds(1))
            } catch {
                logger.error("projection error; retrying", metadata: ["projection.name": "\(runtime.projection)", "error": "\(error)"])
                try? await Task.sleep(for: .milliseconds(200))
            }
        }
    }
}

extension Task where Success == Never, Failure == Never {
    /// Whether the current task is cancelled or the service group is shutting down gracefully.
    static var isCancelledOrShuttingDown: Bool { Task.isCancelled || Task.isShuttingDownGracefully }
}
