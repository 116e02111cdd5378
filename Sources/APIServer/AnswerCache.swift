import NIOCore
import Synchronization

/// Serialised answers of versioned reads, keyed by the request's path and query and the version answered.
///
/// A view's answer at a given log sequence never changes (the views are versioned and immutable up
/// to their checkpoint), so `(URI, sequence)` names one answer forever. Retention is checked before
/// the cache is asked (`resolveVersion`), so a pruned version is refused, not served from here. The
/// cache is bounded by bytes; when full it starts again empty, which keeps it O(1) and simple.
final class AnswerCache: Sendable {
    private struct Key: Hashable {
        var uri: String
        var sequence: UInt64
    }

    private struct Store {
        var answers: [Key: ByteBuffer] = [:]
        var bytes = 0
    }

    private let store = Mutex(Store())
    /// The largest total size of the cached answers.
    let capacityBytes: Int

    /// Creates an empty cache holding at most `capacityBytes` of answers.
    init(capacityBytes: Int = 64 << 20) {
        self.capacityBytes = capacityBytes
    }

    /// The cached answer of `uri` at `sequence`, or the one `make` builds (then cached).
    ///
    /// The answer is a shared buffer: responses only read it, so one copy serves every request.
    func answer(_ uri: String, _ sequence: UInt64, make: () throws -> [UInt8]) rethrows -> ByteBuffer {
        let key = Key(uri: uri, sequence: sequence)
        if let hit = store.withLock({ $0.answers[key] }) { return hit }
        let buffer = ByteBuffer(bytes: try make())
        let size = buffer.readableBytes
        guard size <= capacityBytes / 8 else { return buffer }
        store.withLock { s in
            if s.bytes + size > capacityBytes { s = Store() }
            if s.answers.updateValue(buffer, forKey: key) == nil { s.bytes += size }
        }
        return buffer
    }

    /// How many answers are cached (for tests).
    var count: Int { store.withLock { $0.answers.count } }
}
