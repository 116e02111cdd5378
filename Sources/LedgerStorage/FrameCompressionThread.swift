import Foundation
import LedgerCore

/// A background thread that compresses full frames while the writer thread encodes and hashes the
/// next ones, so that a large group commit uses both cores.
///
/// The writer submits frames in order and collects the stored values before it puts them into
/// the transaction; compression never touches LMDB.
final class FrameCompressionThread: @unchecked Sendable {
    private struct Job {
        var index: Int
        var raw: [UInt8]
        var count: Int
        var link: ChainHash
        var dictionary: ZstdDictionary?
    }

    private let condition = NSCondition()
    private var jobs: [Job] = []
    private var results: [Int: Result<[UInt8], any Error>] = [:]
    private var submitted = 0
    private var stopping = false
    private let compressor: ZstdCompressor

    init(level: Int32) {
        compressor = ZstdCompressor(level: level)
        let thread = Thread { [self] in run() }
        thread.name = "runledger-compressor"
        thread.stackSize = 1 << 20
        thread.start()
    }

    /// Queues a frame; returns its ticket for ``take(_:)``.
    func submit(raw: [UInt8], count: Int, link: ChainHash, dictionary: ZstdDictionary?) -> Int {
        condition.lock()
        let index = submitted
        submitted += 1
        jobs.append(Job(index: index, raw: raw, count: count, link: link, dictionary: dictionary))
        condition.broadcast()
        condition.unlock()
        return index
    }

    /// Waits for the frame with `ticket` and returns its stored value.
    func take(_ ticket: Int) throws -> [UInt8] {
        condition.lock()
        defer { condition.unlock() }
        while results[ticket] == nil { condition.wait() }
        return try results.removeValue(forKey: ticket)!.get()
    }

    /// Ends the thread after the queued frames.
    func stop() {
        condition.lock()
        stopping = true
        condition.broadcast()
        condition.unlock()
    }

    private func run() {
        while true {
            condition.lock()
            while jobs.isEmpty && !stopping { condition.wait() }
            if jobs.isEmpty {
                condition.unlock()
                return
            }
            let job = jobs.removeFirst()
            condition.unlock()
            let value = Result {
                try FrameHeader.encode(
                    raw: job.raw, eventCount: job.count, endLink: job.link, dictionary: job.dictionary,
                    compressor: compressor)
            }
            condition.lock()
            results[job.index] = value
            condition.broadcast()
            condition.unlock()
        }
    }
}
