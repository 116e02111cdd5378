import Certification
import Testing

@Suite struct IntervalMapTests {
    @Test func settingARangeInsideAnotherSplitsItInThree() {
        var map = IntervalMap<String>()
        map.set("GOOD", over: range(1, 100))
        map.set("BAD", over: range(40, 50))
        #expect(map.segments.map(\.range) == [range(1, 39), range(40, 50), range(51, 100)])
        #expect(map.value(at: 39) == "GOOD")
        #expect(map.value(at: 40) == "BAD")
        #expect(map.value(at: 50) == "BAD")
        #expect(map.value(at: 51) == "GOOD")
        #expect(map.value(at: 101) == nil)
        #expect(map.value(at: 0) == nil)
    }

    @Test func equalNeighboursAreMergedWhenTheyTouch() {
        var map = IntervalMap<Int>()
        map.set(1, over: range(1, 10))
        map.set(1, over: range(21, 30))
        map.set(1, over: range(11, 20))
        #expect(map.segments.count == 1)
        #expect(map.segments.first?.range == range(1, 30))
    }

    @Test func overwritingTheMiddleWithTheSameValueRestoresOneSegment() {
        var map = IntervalMap<Int>()
        map.set(1, over: range(1, 30))
        map.set(2, over: range(10, 20))
        map.set(1, over: range(10, 20))
        #expect(map.segments.count == 1)
    }

    @Test func clearingLeavesAGapAndKeepsTheEnds() {
        var map = IntervalMap<Int>()
        map.set(7, over: range(1, 30))
        map.clear(range(5, 9))
        #expect(map.segments.map(\.range) == [range(1, 4), range(10, 30)])
        #expect(map.gaps(in: range(1, 40)) == [range(5, 9), range(31, 40)])
        #expect(map.coveredCount == 25)
        #expect(!map.hasValue(in: range(5, 9)))
        #expect(map.hasValue(in: range(9, 10)))
    }

    @Test func clearingEverythingEmptiesTheMap() {
        var map = IntervalMap<Int>()
        map.set(1, over: range(3, 4))
        map.set(2, over: range(8, 9))
        map.clear(range(1, 100))
        #expect(map.isEmpty)
    }

    @Test func segmentsInARangeAreCutToIt() {
        var map = IntervalMap<Int>()
        map.set(1, over: range(1, 10))
        map.set(2, over: range(11, 20))
        let cut = map.segments(in: range(5, 12))
        #expect(cut.map(\.range) == [range(5, 10), range(11, 12)])
        #expect(cut.map(\.value) == [1, 2])
        #expect(Array(map).count == 2)
    }

    @Test func mapValuesMergesSegmentsThatBecomeEqual() {
        var map = IntervalMap<Int>()
        map.set(1, over: range(1, 10))
        map.set(2, over: range(11, 20))
        let parity = map.mapValues { $0 > 0 }
        #expect(parity.segments.count == 1)
        #expect(parity.segments.first?.range == range(1, 20))
    }

    @Test func randomEditsAgreeWithANaivePerLumisectionArray() {
        var rng = SplitMix64(seed: 0x5EED)
        let size = 60
        for _ in 0..<200 {
            var map = IntervalMap<Int>()
            var naive = [Int?](repeating: nil, count: size + 2)
            for _ in 0..<40 {
                let a = Int.random(in: 1...size, using: &rng)
                let b = Int.random(in: a...min(size, a + Int.random(in: 0...20, using: &rng)), using: &rng)
                let r = range(a, b)
                if Int.random(in: 0..<4, using: &rng) == 0 {
                    map.clear(r)
                    for i in a...b { naive[i] = nil }
                } else {
                    let v = Int.random(in: 0..<3, using: &rng)
                    map.set(v, over: r)
                    for i in a...b { naive[i] = v }
                }
                Self.check(map, against: naive, size: size)
            }
            let q = range(Int.random(in: 1...size, using: &rng), size)
            let expectedGaps = (q.first...q.last).filter { naive[$0] == nil }
            #expect(map.gaps(in: q).flatMap { Array($0.first...$0.last) } == expectedGaps)
        }
    }

    static func check(_ map: IntervalMap<Int>, against naive: [Int?], size: Int) {
        for ls in 0...(size + 1) where map.value(at: ls) != naive[ls] {
            Issue.record("LS \(ls): map \(String(describing: map.value(at: ls))), naive \(String(describing: naive[ls]))")
            return
        }
        for (a, b) in zip(map.segments, map.segments.dropFirst()) {
            #expect(a.range.last < b.range.first, "segments sorted and disjoint")
            #expect(!(a.range.last + 1 == b.range.first && a.value == b.value), "equal neighbours merged")
        }
        // The segment count equals the number of maximal runs in the naive array.
        var runs = 0
        var previous: Int?? = .none
        for ls in 1...size {
            if naive[ls] != nil && (previous == .none || previous! != naive[ls]) { runs += 1 }
            previous = .some(naive[ls])
        }
        #expect(map.segments.count == runs)
    }
}

@Suite struct LumisectionRangeTests {
    @Test func rangesStartAtOneAndNeedFirstNotAfterLast() throws {
        #expect(rejection { try LumisectionRange(0, 5) }?.code == .invalidArgument)
        #expect(rejection { try LumisectionRange(6, 5) }?.code == .invalidArgument)
        #expect(range(3, 7).count == 5)
        #expect(range(3, 7).description == "LS 3–7")
        #expect(try LumisectionRange(single: 4).description == "LS 4")
        #expect(range(1, 5).overlaps(range(5, 9)))
        #expect(!range(1, 4).overlaps(range(5, 9)))
        #expect(range(1, 5).intersection(range(4, 9)) == range(4, 5))
        #expect(range(1, 5) < range(2, 3))
    }
}
