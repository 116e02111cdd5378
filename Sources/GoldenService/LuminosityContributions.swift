public import Certification
import CertificationJSON
import LedgerCore
import ProjectionViews
public import Projections

/// The per-run luminosity behind an integrated-luminosity plot: delivered, recorded and certified, as of a version.
///
/// Certified luminosity is the recorded luminosity of the lumisections a certification JSON certifies
/// (a run counts once even when several of its datasets match the definition's filter).
public struct LuminosityContributions: Sendable {
    /// One run's luminosity at its start time.
    public struct Run: Sendable, Hashable {
        /// The run number.
        public var run: Int
        /// Seconds since 1970-01-01 UTC of the run's start (OMS `start_time`, else its creation in the log).
        public var time: Double
        /// Delivered and recorded luminosity of the whole run, /pb.
        public var delivered: Double
        public var recorded: Double
        /// Recorded luminosity of the run's certified lumisections, /pb.
        public var certified: Double
    }

    /// The runs, in run-number order.
    public var runs: [Run]

    /// Collects the runs of class `runClass` (all classes when nil), or of processing pass `pass`, as of
    /// `sequence`, with the certified luminosity of `certified` (nothing certified when nil).
    public static func collect(
        queries: ViewQueries, asOf sequence: UInt64, runClass: String?, pass: String?, certified: GoldenResult?
    ) throws -> LuminosityContributions {
        let passRuns: Set<Int>? = try pass.map { p in Set(try queries.datasets(asOf: sequence).filter { $0.passKey == p }.map(\.run)) }
        let runs = try queries.runs(asOf: sequence).filter { view in
            (runClass.map { view.runClass == $0 } ?? true) && (passRuns.map { $0.contains(view.run) } ?? true)
        }
        var out: [Run] = []
        try queries.read(asOf: sequence) { reader in
            for view in runs {
                let luminosity = try reader.luminosity(run: view.run)
                var certifiedLuminosity = 0.0
                if let ranges = certified?.certified.runs[UInt32(view.run)], let recorded = luminosity?.recorded {
                    for range in ranges {
                        for ls in range where Int(ls) >= 1 && Int(ls) <= recorded.count { certifiedLuminosity += recorded[Int(ls) - 1] }
                    }
                }
                out.append(
                    Run(
                        run: view.run, time: startSeconds(view), delivered: luminosity?.deliveredSum ?? 0,
                        recorded: luminosity?.recordedSum ?? 0, certified: certifiedLuminosity))
            }
        }
        return LuminosityContributions(runs: out)
    }

    /// The run's start in seconds since 1970 UTC: its OMS `start_time`, else when it was created in the log.
    static func startSeconds(_ view: RunView) -> Double {
        if case .string(let text) = view.omsAttributes["start_time"], let time = LedgerTimestamp(iso8601: text) {
            return Double(time.microseconds) / 1e6
        }
        return Double(view.createdAt.microseconds) / 1e6
    }
}
