/// The number of datasets OPEN, in SIGNOFF and COMPLETED in one workspace over time, as a chart.
///
/// ```swift
/// let chart = CertificationProgress.chart(samples, workspace: "tracker", pass: "PromptReco, Collisions24")
/// ```
public enum CertificationProgress {
    /// The dataset counts per state from `time` on.
    public struct Sample: Sendable, Hashable {
        /// When the counts took effect, in seconds since 1970-01-01 00:00 UTC.
        public var time: Double
        /// Datasets in state OPEN.
        public var open: Int
        /// Datasets in state SIGNOFF.
        public var signOff: Int
        /// Datasets in state COMPLETED.
        public var completed: Int

        /// Creates a sample.
        public init(time: Double, open: Int, signOff: Int, completed: Int) {
            self.time = time
            self.open = open
            self.signOff = signOff
            self.completed = completed
        }
    }

    /// A step chart of the three counts, titled "Certification progress, `workspace`, `pass`".
    ///
    /// Series keys are `open`, `signoff` and `completed`; their totals are the counts of the latest sample.
    public static func chart(_ samples: [Sample], workspace: String, pass: String) -> TimeChart {
        func series(_ name: String, _ key: String, _ color: String, _ count: (Sample) -> Int) -> ChartSeries {
            ChartSeries(
                name: name, key: key, color: color,
                points: samples.map { ChartPoint(time: $0.time, value: Double(count($0))) })
        }
        return TimeChart(
            title: ["Certification progress", workspace, pass].filter { !$0.isEmpty }.joined(separator: ", "),
            yAxisLabel: "Datasets",
            decimals: 0,
            series: [
                series("OPEN", "open", "#D55E00", \.open),
                series("SIGNOFF", "signoff", "#CC79A7", \.signOff),
                series("COMPLETED", "completed", "#009E73", \.completed),
            ])
    }
}
