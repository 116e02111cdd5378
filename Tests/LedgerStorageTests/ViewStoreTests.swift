import Foundation
import LedgerCore
import LedgerStorage
import Testing

/// A row's value as of a version, flattened: nil when absent or deleted.
private func value(
    _ s: ViewSnapshot, namespace: UInt8, view: UInt8, entity: [UInt8], asOf: UInt64?
) throws -> [UInt8]? {
    guard let row = try s.row(namespace: namespace, view: view, entity: entity, asOf: asOf) else { return nil }
    return row.value
}

@Suite struct ViewStoreTests {
    private func withStore<T>(_ body: (ViewStore) throws -> T) throws -> T {
        let path = NSTemporaryDirectory() + "runledger-views-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try body(try ViewStore.open(directory: path))
    }

    @Test func namespacesHandedOutAgainAfterWrappingSkipEveryLiveOne() throws {
        try withStore { store in
            try store.write { w in
                #expect(try w.namespace(for: "a@1") == (1, true))
                #expect(try w.namespace(for: "a@1") == (1, false))
                try w.setMeta("served/x", [2] + Array("x@0".utf8))
                try w.put(namespace: 3, view: 0, entity: [1], version: 1, value: [1])
                #expect(try w.namespace(for: "b@1") == (4, true))
                // Past 255 the counter wraps, and skips the recorded (1), served (2) and non-empty (3) ones.
                try w.setMeta("namespace/next", [255])
                #expect(try w.namespace(for: "c@1") == (255, true))
                #expect(try w.namespace(for: "d@1") == (5, true))
                #expect(try w.isEmpty(namespace: 3) == false)
                #expect(try w.isEmpty(namespace: 6))
            }
        }
    }

    /// Scans seek past an entity's many versions and still answer exactly as a walk would.
    @Test func scansAnswerEveryVersionOfEntitiesWithManyVersions() throws {
        try withStore { store in
            try store.write { w in
                for e in 0..<5 {
                    for v in stride(from: UInt64(e + 1), through: UInt64(200), by: e + 1) {
                        try w.put(namespace: 7, view: 2, entity: [UInt8(e), 0, 9], version: v, value: v % 50 == 0 ? nil : [UInt8(v)])
                    }
                }
            }
            try store.read { s in
                for asOf in [UInt64(0), 1, 2, 3, 4, 7, 49, 50, 51, 100, 150, 199, 200, 500] {
                    var scanned: [[UInt8]: [UInt8]] = [:]
                    try s.scan(namespace: 7, view: 2, entityPrefix: [], asOf: asOf) { entity, _, value in
                        scanned[entity] = value
                        return true
                    }
                    var expected: [[UInt8]: [UInt8]] = [:]
                    for e in 0..<5 {
                        if let v = try value(s, namespace: 7, view: 2, entity: [UInt8(e), 0, 9], asOf: asOf) { expected[[UInt8(e), 0, 9]] = v }
                    }
                    #expect(scanned == expected, "as of \(asOf)")
                }
            }
        }
    }

    @Test func asOfReadsReturnTheVersionValidAtThatSequence() throws {
        try withStore { store in
            try store.write { w in
                try w.put(namespace: 1, view: 0, entity: [0, 0, 1, 1], version: 10, value: [1])
                try w.put(namespace: 1, view: 0, entity: [0, 0, 1, 1], version: 20, value: [2])
                try w.put(namespace: 1, view: 0, entity: [0, 0, 1, 1], version: 30, value: nil)
                try w.put(namespace: 1, view: 0, entity: [0, 0, 1, 2], version: 15, value: [9])
                // Entities that are prefixes of each other, and ones containing 00 bytes, stay apart.
                try w.put(namespace: 1, view: 0, entity: [0, 0, 1], version: 5, value: [7])
                try w.put(namespace: 1, view: 0, entity: [0, 0, 1, 1, 0], version: 12, value: [8])
                try w.setCheckpoint("p", 30)
            }
            try store.read { (s: ViewSnapshot) throws in
                let e: [UInt8] = [0, 0, 1, 1]
                #expect(try s.row(namespace: 1, view: 0, entity: e, asOf: 9) == nil)
                #expect(try value(s, namespace: 1, view: 0, entity: e, asOf: 10) == [1])
                #expect(try value(s, namespace: 1, view: 0, entity: e, asOf: 19) == [1])
                #expect(try s.row(namespace: 1, view: 0, entity: e, asOf: 20)?.version == 20)
                #expect(try value(s, namespace: 1, view: 0, entity: e, asOf: 29) == [2])
                let deleted = try s.row(namespace: 1, view: 0, entity: e, asOf: 30)
                #expect(deleted?.version == 30 && deleted?.value == nil)
                #expect(try value(s, namespace: 1, view: 0, entity: [0, 0, 1], asOf: nil) == [7])
                #expect(try value(s, namespace: 1, view: 0, entity: [0, 0, 1, 1, 0], asOf: nil) == [8])
                #expect(try s.row(namespace: 2, view: 0, entity: e, asOf: nil) == nil)
                #expect(try s.row(namespace: 1, view: 1, entity: e, asOf: nil) == nil)
                #expect(try s.checkpoint("p") == 30)
                var seen: [[UInt8]: [UInt8]] = [:]
                try s.scan(namespace: 1, view: 0, entityPrefix: [0, 0, 1], asOf: 25) { entity, _, value in
                    seen[entity] = value
                    return true
                }
                #expect(seen == [[0, 0, 1]: [7], [0, 0, 1, 1]: [2], [0, 0, 1, 1, 0]: [8], [0, 0, 1, 2]: [9]])
                var afterDelete: [[UInt8]] = []
                try s.scan(namespace: 1, view: 0, asOf: nil) { entity, _, _ in
                    afterDelete.append(entity)
                    return true
                }
                #expect(afterDelete == [[0, 0, 1], [0, 0, 1, 1, 0], [0, 0, 1, 2]])
            }
        }
    }

    @Test func asOfMatchesANaiveModelOnRandomHistories() throws {
        try withStore { store in
            var random = SystemRandomNumberGenerator()
            var model: [[UInt8]: [(UInt64, [UInt8]?)]] = [:]
            var entities: [[UInt8]] = []
            for i in 0..<30 {
                var e: [UInt8] = [UInt8(i / 10), 0, UInt8(i % 10)]
                if i % 3 == 0 { e.append(0) }
                entities.append(e)
            }
            var version: UInt64 = 0
            for _ in 0..<20 {
                try store.write { w in
                    for _ in 0..<50 {
                        version += UInt64.random(in: 1...3, using: &random)
                        let e = entities.randomElement(using: &random)!
                        let byte = UInt8.random(in: 0...255, using: &random)
                        let v: [UInt8]? = UInt8.random(in: 0...9, using: &random) == 0 ? nil : [byte]
                        try w.put(namespace: 3, view: 2, entity: e, version: version, value: v)
                        model[e, default: []].append((version, v))
                    }
                }
            }
            try store.read { (s: ViewSnapshot) throws in
                for _ in 0..<2_000 {
                    let e = entities.randomElement(using: &random)!
                    let at = UInt64.random(in: 0...(version + 2), using: &random)
                    let expected = model[e]?.last { $0.0 <= at }
                    let actual = try s.row(namespace: 3, view: 2, entity: e, asOf: at)
                    #expect(actual?.version == expected?.0)
                    #expect(actual?.value == expected?.1)
                }
            }
        }
    }

    @Test func pruningKeepsAnswersFromTheCutOnAndDeletingANamespaceEmptiesIt() throws {
        try withStore { store in
            try store.write { w in
                for v in stride(from: UInt64(10), through: 100, by: 10) {
                    try w.put(namespace: 1, view: 0, entity: [1], version: v, value: [UInt8(v)])
                    try w.put(namespace: 1, view: 0, entity: [2], version: v + 1, value: [UInt8(v + 1)])
                    try w.put(namespace: 2, view: 0, entity: [1], version: v, value: [0])
                }
            }
            let pruned = try store.write { w in try w.pruneVersions(namespace: 1, before: 55) }
            #expect(pruned == 8)
            try store.read { (s: ViewSnapshot) throws in
                #expect(try value(s, namespace: 1, view: 0, entity: [1], asOf: 55) == [50])
                #expect(try value(s, namespace: 1, view: 0, entity: [1], asOf: 100) == [100])
                #expect(try value(s, namespace: 1, view: 0, entity: [2], asOf: 60) == [51])
                #expect(try s.row(namespace: 1, view: 0, entity: [1], asOf: 20) == nil)
            }
            let deleted = try store.write { w in try w.deleteNamespace(2) }
            #expect(deleted == 10)
            try store.read { (s: ViewSnapshot) throws in
                #expect(try s.row(namespace: 2, view: 0, entity: [1], asOf: nil) == nil)
                #expect(try value(s, namespace: 1, view: 0, entity: [2], asOf: nil) == [101])
            }
        }
    }
}
