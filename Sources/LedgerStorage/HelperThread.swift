import Foundation

/// A long-lived thread that runs submitted closures in order, so short parallel work (validating
/// half of a batch) does not pay for starting a thread each time.
final class HelperThread: @unchecked Sendable {
    private let condition = NSCondition()
    private var work: [@Sendable () -> Void] = []
    private var stopping = false

    init(name: String) {
        let thread = Thread { [self] in run() }
        thread.name = name
        thread.stackSize = 1 << 20
        thread.start()
    }

    /// Runs `body` on the helper thread, or on the calling thread once the helper has stopped.
    func async(_ body: @escaping @Sendable () -> Void) {
        condition.lock()
        if stopping {
            condition.unlock()
            body()
            return
        }
        work.append(body)
        condition.signal()
        condition.unlock()
    }

    /// Ends the thread after the queued work; calling it again does nothing.
    func stop() {
        condition.lock()
        stopping = true
        condition.signal()
        condition.unlock()
    }

    private func run() {
        while true {
            condition.lock()
            while work.isEmpty && !stopping { condition.wait() }
            if work.isEmpty {
                condition.unlock()
                return
            }
            let next = work.removeFirst()
            condition.unlock()
            next()
        }
    }
}
