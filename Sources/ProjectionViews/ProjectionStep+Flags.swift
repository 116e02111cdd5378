import Certification
import LedgerCore

extension ProjectionStep {
    /// Applies a flag change (a set or a release) to a component's flag row, then adjusts the
    /// component's summary row by the change of the effective flags on `range`, and the dataset's
    /// `certifications` rows and pass rows by the change of its certified luminosity.
    ///
    /// - Complexity: O(s log s) for the s segments the component's layers and the groups' GOOD counts
    ///   hold around `range`, plus O(c) range sums for the c certified segments of each affected group when
    ///   the GOOD coverage changes; never a per-lumisection loop.
    mutating func changeFlags(
        _ key: DatasetKey, component: String, range: LumisectionRange,
        _ change: (inout FlagRangesView, UInt64, ActorKind) -> Void
    ) throws {
        try checkRun(key.run)
        guard let summaryBytes = try changes.read(ViewKeys.summary(key)) else {
            throw fail("\(key) has no summary; it does not exist")
        }
        let ws = ComponentKey.workspace(of: component)
        let (passKey, hasWorkspace) = try DatasetSummaryView.passAndWorkspace(summaryBytes, workspace: ws)
        let flagsKey = ViewKeys.flags(key, component: component)
        var flags = try changes.read(flagsKey).map { bytes throws(ProjectionError) in try FlagRangesView.decode(bytes) }
            ?? FlagRangesView()
        let old = flags.effectiveRanges(in: range)
        change(&flags, sequence, event.actorKind)
        flags.lastSequence = sequence
        let new = flags.effectiveRanges(in: range)
        changes.write(flagsKey, flags.encoded())

        let componentKey = ViewKeys.componentSummary(key, component: component)
        let before = try changes.read(componentKey).map { bytes throws(ProjectionError) in
            try DatasetSummaryView.ComponentSummary.decode(bytes).summary
        } ?? DatasetSummaryView.ComponentSummary()
        var entry = before
        for s in old { entry.add(s.value.flag, length: s.range.count, sign: -1) }
        for s in new { entry.add(s.value.flag, length: s.range.count, sign: 1) }
        let wasFlagged = before.counts.total > 0
        let isFlagged = entry.counts.total > 0
        if entry != before {
            changes.write(componentKey, isFlagged ? entry.encoded(lastSequence: sequence) : nil)
        }

        let delta = Self.goodDelta(old: old, new: new)
        guard !delta.isEmpty || wasFlagged != isFlagged else { return }
        var sums: LuminosityView.Sums?? = .none
        var groups = [DatasetAggregate.globalWorkspace]
        if ws != DatasetAggregate.globalWorkspace && hasWorkspace { groups.append(ws) }
        for group in groups {
            let groupKey = ViewKeys.certification(key, workspace: group)
            var cert = try changes.read(groupKey).map { bytes throws(ProjectionError) in
                try DatasetSummaryView.Certification.decode(bytes).group
            } ?? DatasetSummaryView.Certification()
            for d in delta {
                guard Self.add(d.value, over: d.range, to: &cert.goodCounts) else {
                    throw ProjectionError(
                        .corruptRow, "the summary of \(key) counts fewer GOOD components than \(component) had in \(d.range)",
                        sequence: sequence)
                }
            }
            if wasFlagged != isFlagged { cert.flaggedComponents += isFlagged ? 1 : -1 }
            if sums == nil { sums = .some(try loadLuminositySums(key.run)) }
            let lumi = Self.certifiedLuminosity(cert, sums: sums!)
            let change = lumi - cert.recordedLuminosity
            cert.recordedLuminosity = lumi
            changes.write(groupKey, cert.isEmpty ? nil : cert.encoded(lastSequence: sequence))
            if change != 0 { try addCertifiedLuminosity(change, passKey: passKey, group: group) }
        }
    }

    /// Where GOOD coverage changed within a range: +1 where the new effective flags are GOOD and the
    /// old were not, −1 where the old were GOOD and the new are not.
    static func goodDelta(old: [FlagRangesView.Segment], new: [FlagRangesView.Segment]) -> [IntervalMap<Int>.Segment] {
        var delta: [IntervalMap<Int>.Segment] = []
        for s in new where s.value.flag.status == .good {
            _ = Segments.append(&delta, IntervalMap<Int>.Segment(range: s.range, value: 1))
        }
        for s in old where s.value.flag.status == .good {
            let both = Segments.slice(delta, in: s.range)
            let onlyOld = Segments.gaps(delta, in: s.range)
            for b in both { Segments.replace(&delta, b.range, with: nil) }
            for g in onlyOld { Segments.replace(&delta, g, with: -1) }
        }
        return delta
    }

    /// Adds `d` to the counts over `range` (absent = 0; zero counts are removed); false if a count would go negative.
    static func add(_ d: Int, over range: LumisectionRange, to counts: inout [IntervalMap<Int>.Segment]) -> Bool {
        let existing = Segments.slice(counts, in: range)
        let gaps = d < 0 ? [] : Segments.gaps(counts, in: range)
        if d < 0 && Segments.covered(existing) != range.count { return false }
        for s in existing {
            let v = s.value + d
            guard v >= 0 else { return false }
            Segments.replace(&counts, s.range, with: v == 0 ? nil : v)
        }
        for g in gaps { Segments.replace(&counts, g, with: d) }
        return true
    }

    /// The recorded luminosity of a group's certified lumisections.
    static func certifiedLuminosity(_ cert: DatasetSummaryView.Certification, sums: LuminosityView.Sums?) -> Double {
        guard let sums, cert.flaggedComponents > 0 else { return 0 }
        var total = 0.0
        for s in cert.goodCounts where s.value == cert.flaggedComponents { total += sums.recorded(in: s.range) }
        return total
    }
}
