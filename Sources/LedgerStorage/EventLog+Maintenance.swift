import Foundation
import LedgerCore

/// Sizes and counts of a log, as `runledger log stats` prints them.
public struct LogStatistics: Sendable {
    /// The number of events.
    public var eventCount: UInt64
    /// The number of stored frames.
    public var frameCount: Int
    /// The number of streams.
    public var streamCount: Int
    /// The number of distinct actors.
    public var actorCount: Int
    /// Event counts by type.
    public var typeCounts: [String: UInt64]
    /// The size of `data.mdb` on disk.
    public var fileBytes: UInt64
    /// Pages used per database.
    public var databases: [String: DatabasePages]
    /// Stored dictionaries: id and size in bytes.
    public var dictionaries: [(id: UInt32, bytes: Int)]
    /// The dictionary new frames use (0: none).
    public var currentDictionary: UInt32
    /// The memory-map size.
    public var mapSize: Int

    /// Bytes of the events database (frames only) per event.
    public var eventBytesPerEvent: Double {
        eventCount == 0 ? 0 : Double(databases["events"]?.bytes ?? 0) / Double(eventCount)
    }

    /// Bytes of all databases' pages per event.
    public var usedBytesPerEvent: Double {
        eventCount == 0 ? 0 : Double(databases.values.reduce(0) { $0 + $1.bytes }) / Double(eventCount)
    }
}

extension EventLog {
    /// Writes a consistent, compacted copy of the log into `destination` while appends go on.
    ///
    /// The destination directory is created; it must not already hold a `data.mdb`.
    public func backup(to destination: String) throws {
        let fm = FileManager.default
        if fm.fileExists(atPath: destination + "/data.mdb") {
            throw LedgerError(.invalidBatch, "backup destination '\(destination)' already holds a data.mdb; choose an empty directory")
        }
        try fm.createDirectory(atPath: destination, withIntermediateDirectories: true)
        try env.copyCompacted(to: destination)
    }

    /// Counts and sizes of the log. Counting types scans the whole log.
    public func statistics(countTypes: Bool = true) throws -> LogStatistics {
        let pages = try env.pageStatistics()
        let (dictionaries, current, actors): ([(id: UInt32, bytes: Int)], UInt32, Int) = try read { snapshot in
            let txn = snapshot.transaction
            var list: [(id: UInt32, bytes: Int)] = []
            try txn.withCursor(txn.databases.dictionaries) { cursor in
                var entry = try cursor.move(.first) { k, v in (UInt32(bigEndian: k.loadUnaligned(as: UInt32.self)), v.count) }
                while let e = entry {
                    list.append((id: e.0, bytes: e.1))
                    entry = try cursor.move(.next) { k, v in (UInt32(bigEndian: k.loadUnaligned(as: UInt32.self)), v.count) }
                }
            }
            var current: UInt32 = 0
            if let raw = try txn.get(txn.databases.meta, key: MetaKey.dictionary), raw.count == 4 {
                current = raw.withUnsafeBytes { UInt32(bigEndian: $0.loadUnaligned(as: UInt32.self)) }
            }
            return (list, current, try snapshot.actors().count)
        }
        var typeCounts: [String: UInt64] = [:]
        if countTypes {
            let report = try verify(countTypes: true)
            if let failure = report.failure { throw LedgerError(.corruption, "\(failure)", sequence: failure.sequence) }
            typeCounts = report.typeCounts
        }
        let attributes = try FileManager.default.attributesOfItem(atPath: directory + "/data.mdb")
        return LogStatistics(
            eventCount: try head().sequence, frameCount: pages["events"]?.entries ?? 0,
            streamCount: pages["streams"]?.entries ?? 0, actorCount: actors, typeCounts: typeCounts,
            fileBytes: (attributes[.size] as? NSNumber)?.uint64Value ?? 0, databases: pages,
            dictionaries: dictionaries, currentDictionary: current, mapSize: mapSize)
    }
}

/// The storage's own limit for comparison: plain uncompressed records appended with `MDB_APPEND`.
public enum RawLMDBBenchmark {
    /// Appends `records` under big-endian sequence keys, `batchSize` per durable transaction, into
    /// a new environment in `directory`, and returns the seconds the write loop took.
    public static func appendSeconds(records: [[UInt8]], batchSize: Int, directory: String) throws -> Double {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let env = try LMDBEnvironment(path: directory, mapSize: max(1 << 30, records.count * 600))
        let started = Date()
        var next = 0
        while next < records.count {
            let end = min(next + batchSize, records.count)
            let range = next..<end
            try env.write { txn in
                for i in range {
                    try BigEndianKey.with(UInt64(i + 1)) { key in
                        try records[i].withUnsafeBytes { value in
                            try txn.put(txn.databases.events, key: key, value: value, flags: .append)
                        }
                    }
                }
            }
            next = end
        }
        return Date().timeIntervalSince(started)
    }
}

extension EventLog {
    /// The stored bytes of the frame whose first sequence is `key`: for tests and forensics only.
    public func _storedFrame(key: UInt64) throws -> [UInt8]? {
        try env.read { txn in
            try BigEndianKey.with(key) { k in try txn.get(txn.databases.events, key: k) { Array($0) } }
        }
    }
}
