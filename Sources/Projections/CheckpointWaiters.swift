import Foundation

/// The callers waiting for a projection to reach a sequence (read-your-writes), resumed when its
/// checkpoint passes theirs or their timeout ends.
public final class CheckpointWaiters: @unchecked Sendable {
    private let lock = NSLock()
    private var reached: UInt64
    private var waiters: [(id: UInt64, sequence: UInt64, continuation: CheckedContinuation<Bool, Never>)] = []
    private var nextID: UInt64 = 0
    /// Waiters whose timeout ended before they were registered.
    private var expiredEarly: Set<UInt64> = []

    /// Creates the waiters of a projection whose checkpoint is `checkpoint`.
    public init(checkpoint: UInt64) {
        reached = checkpoint
    }

    /// Records the projection's new checkpoint and resumes the callers it satisfies.
    public func advance(to checkpoint: UInt64) {
        let ready: [CheckedContinuation<Bool, Never>] = lock.withLock {
            reached = checkpoint
            let due = waiters.filter { $0.sequence <= checkpoint }.map(\.continuation)
            waiters.removeAll { $0.sequence <= checkpoint }
            return due
        }
        for c in ready { c.resume(returning: true) }
    }

    /// Waits until the checkpoint reaches `sequence`, or `timeout` passes.
    ///
    /// - Returns: true when reached, false on timeout.
    public func wait(until sequence: UInt64, timeout: Duration) async -> Bool {
        let id: UInt64? = lock.withLock {
            guard reached < sequence else { return nil }
            nextID += 1
            return nextID
        }
        guard let id else { return true }
        let timer = Task {
            try? await Task.sleep(for: timeout)
            guard !Task.isCancelled else { return }
            self.expire(id)
        }
        defer { timer.cancel() }
        return await withCheckedContinuation { (c: CheckedContinuation<Bool, Never>) in
            let resumeNow: Bool? = lock.withLock {
                if reached >= sequence { return true }
                if expiredEarly.remove(id) != nil { return false }
                waiters.append((id, sequence, c))
                return nil
            }
            if let resumeNow { c.resume(returning: resumeNow) }
        }
    }

    private func expire(_ id: UInt64) {
        let expired: CheckedContinuation<Bool, Never>? = lock.withLock {
            guard let i = waiters.firstIndex(where: { $0.id == id }) else {
                expiredEarly.insert(id)
                return nil
            }
            return waiters.remove(at: i).continuation
        }
        expired?.resume(returning: false)
    }
}
