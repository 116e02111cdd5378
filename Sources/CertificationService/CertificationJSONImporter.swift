import Certification
public import CertificationJSON
import Foundation
import LedgerCore
import LedgerStorage

/// Imports a certification JSON (golden, DCS-only, muon) as the complete certification of one
/// dataset for the given components.
///
/// The listed lumisections become GOOD; every other lumisection of the dataset becomes BAD with
/// the import's reason, both in the listed runs and in runs the dataset already has. Importing a
/// later version of a file therefore leaves the ledger holding exactly that version. Runs that do
/// not exist are created; a run's lumisection count grows to cover its last listed lumisection.
/// Only differences to the dataset's current automatic flags become events.
public struct CertificationJSONImporter: Sendable {
    /// The dataset the file certifies, e.g. `/PromptReco/Collisions2016/DQM` or `online`.
    public var datasetName: String
    /// The components the file certifies, e.g. `["dt-dt", "tracker-pixel"]`.
    public var components: [String]
    /// The file's content.
    public var list: CertificationList
    /// Why: used as the batch reason and as the comment of BAD flags.
    public var reason: String
    /// The id recorded as the automatic writer's rule, e.g. the file name.
    public var rule: String

    /// What an import changed.
    public struct Summary: Sendable, Hashable {
        /// Runs the file lists.
        public var runsInFile = 0
        /// Runs that did not exist and were created.
        public var runsCreated = 0
        /// Runs whose lumisection count grew.
        public var runsExtended = 0
        /// Runs of the dataset that the file does not list (all their lumisections became BAD).
        public var runsOnlyInLedger = 0
        /// Flag events written.
        public var flagEvents = 0
        /// All events written.
        public var events = 0

        /// Creates an empty summary.
        public init() {}
    }

    /// Creates an importer.
    public init(datasetName: String, components: [String], list: CertificationList, reason: String, rule: String) {
        self.datasetName = datasetName
        self.components = components
        self.list = list
        self.reason = reason
        self.rule = rule
    }

    /// Decides every command of the import in `session` (nothing is appended until the session commits).
    public func plan(into session: inout CommandSession) throws -> Summary {
        _ = try ProcessingPass(datasetName: datasetName)
        guard !components.isEmpty else {
            throw CertificationError(.invalidArgument, "name at least one component the file certifies, e.g. --component dt-dt")
        }
        for c in components {
            guard let dash = c.firstIndex(of: "-"), dash != c.startIndex, c.index(after: dash) != c.endIndex else {
                throw CertificationError(.invalidArgument, "component '\(c)' must look like 'workspace-column', e.g. 'tracker-pixel'")
            }
        }
        guard reason.trimmingCharacters(in: .whitespaces).count >= 3 else {
            throw CertificationError(.commentRequired, "the reason becomes the comment of BAD lumisections and needs at least 3 characters")
        }
        var summary = Summary()
        summary.runsInFile = list.runs.count
        var runs = Set(list.runs.keys.map(Int.init))
        let existing = try session.log.read { try $0.streamIDs(prefix: "dataset/") }
        let suffix = "/" + datasetName
        for id in existing where id.hasSuffix(suffix) {
            let runPart = id.dropFirst("dataset/".count).dropLast(suffix.count)
            if let run = Int(runPart), !runPart.contains("/") { runs.insert(run) }
        }
        summary.runsOnlyInLedger = runs.count - list.runs.count
        let workspaces = try session.config(.components).catalogue.offlineWorkspaceNames
        for run in runs.sorted() {
            let listed = list.runs[UInt32(run)] ?? []
            var runAggregate = try session.run(run)
            if !runAggregate.exists {
                try session.execute(.run(run, .create(omsAttributes: [:], runClass: "", significant: true)))
                summary.runsCreated += 1
                runAggregate = try session.run(run)
            }
            let needed = Int(listed.last?.upperBound ?? 0)
            if needed > (runAggregate.lumisectionCount ?? 0) {
                try session.execute(.run(run, .setLumisectionCount(needed)))
                summary.runsExtended += 1
                runAggregate = try session.run(run)
            }
            let key = DatasetKey(run: run, name: datasetName)
            if !key.isOnline, !(try session.dataset(key).exists) {
                try session.execute(.dataset(key, .create(workspaces: workspaces)))
            }
            let count = runAggregate.lumisectionCount ?? 0
            guard count > 0 else { continue }
            let desired = try desiredFlags(listed: listed, count: count)
            let current = try session.dataset(key).flags
            for component in components {
                let automatic = current.layers[component]?.automatic ?? IntervalMap<Flag>()
                for segment in desired.segments {
                    let existingSegments = automatic.segments(in: segment.range)
                    let unchanged = existingSegments.count == 1 && existingSegments[0].range == segment.range
                        && existingSegments[0].value == segment.value
                    if unchanged { continue }
                    try session.execute(
                        .dataset(key, .setFlags(component: component, range: segment.range, flag: segment.value)))
                    summary.flagEvents += 1
                }
            }
        }
        summary.events = session.pending.count
        return summary
    }

    /// GOOD on the listed ranges, BAD (with the reason) on the rest of 1...count.
    private func desiredFlags(listed: [ClosedRange<UInt32>], count: Int) throws -> IntervalMap<Flag> {
        var map = IntervalMap<Flag>()
        map.set(Flag(.bad, comment: reason), over: try LumisectionRange(1, count))
        for r in listed {
            let first = Int(r.lowerBound)
            let last = min(Int(r.upperBound), count)
            guard first <= last else { continue }
            map.set(Flag(.good), over: try LumisectionRange(first, last))
        }
        return map
    }
}
