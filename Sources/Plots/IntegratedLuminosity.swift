/// Cumulative delivered, recorded and certified luminosity over time, charted like the CMS public luminosity plots.
///
/// ```swift
/// let (chart, totals) = IntegratedLuminosity.chart(
///     runs.map { .init(time: $0.startTime, delivered: $0.delivered, recorded: $0.recorded, certified: $0.golden) },
///     scope: "pp, 2024, √s = 13.6 TeV")
/// let markup = chart.svg()  // legend "Delivered: 123.45 fb⁻¹", …; totals.delivered is in /pb
/// ```
public enum IntegratedLuminosity {
    /// The luminosity of one run (or lumisection), in inverse picobarns, counted at `time`.
    public struct Contribution: Sendable, Hashable {
        /// When the luminosity counts, in seconds since 1970-01-01 00:00 UTC (e.g. the run's start).
        public var time: Double
        /// Delivered luminosity in /pb.
        public var delivered: Double
        /// Recorded luminosity in /pb.
        public var recorded: Double
        /// Certified (golden) luminosity in /pb: the recorded luminosity of the certified lumisections.
        public var certified: Double

        /// Creates a contribution; luminosities are in /pb.
        public init(time: Double, delivered: Double, recorded: Double, certified: Double) {
            self.time = time
            self.delivered = delivered
            self.recorded = recorded
            self.certified = certified
        }
    }

    /// Summed luminosities in inverse picobarns.
    public struct Totals: Sendable, Hashable {
        /// Total delivered luminosity in /pb.
        public var delivered: Double
        /// Total recorded luminosity in /pb.
        public var recorded: Double
        /// Total certified luminosity in /pb.
        public var certified: Double
    }

    /// The unit a luminosity is shown in.
    public enum Unit: Sendable, Hashable {
        /// pb⁻¹, for totals below 1000 /pb.
        case inversePicobarn
        /// fb⁻¹ (1000 /pb), for totals from 1000 /pb on.
        case inverseFemtobarn

        /// The readable unit for a total in /pb: fb⁻¹ from 1000 /pb on, pb⁻¹ below.
        public init(forTotal picobarns: Double) {
            self = picobarns >= 1000 ? .inverseFemtobarn : .inversePicobarn
        }

        /// The symbol, "pb⁻¹" or "fb⁻¹".
        public var symbol: String {
            switch self {
            case .inversePicobarn: "pb⁻¹"
            case .inverseFemtobarn: "fb⁻¹"
            }
        }

        /// How many /pb one of this unit is: 1 or 1000.
        public var inversePicobarns: Double {
            switch self {
            case .inversePicobarn: 1
            case .inverseFemtobarn: 1000
            }
        }
    }

    /// The cumulative chart of `contributions` and their totals in /pb.
    ///
    /// Contributions are summed in time order (equal times keep their order); values that are not finite count
    /// as 0. The unit follows the largest of the three totals (see ``Unit/init(forTotal:)``). Each series
    /// starts at 0 at the first contribution's time. The title is "CMS integrated luminosity, `scope`" (just
    /// "CMS integrated luminosity" for an empty scope), and the subtitle gives the UTC time range of the data.
    ///
    /// - Parameters:
    ///   - contributions: Per-run (or per-lumisection) luminosities in /pb.
    ///   - scope: What the data are, e.g. "pp, 2024, √s = 13.6 TeV" or a run class and processing pass.
    public static func chart(_ contributions: [Contribution], scope: String) -> (chart: TimeChart, totals: Totals) {
        let ordered = contributions.enumerated()
            .filter { $0.element.time.isFinite }
            .sorted { ($0.element.time, $0.offset) < ($1.element.time, $1.offset) }
            .map(\.element)
        var running = Totals(delivered: 0, recorded: 0, certified: 0)
        var cumulative: [(time: Double, totals: Totals)] = []
        cumulative.reserveCapacity(ordered.count)
        for contribution in ordered {
            running.delivered += finiteOrZero(contribution.delivered)
            running.recorded += finiteOrZero(contribution.recorded)
            running.certified += finiteOrZero(contribution.certified)
            cumulative.append((contribution.time, running))
        }

        let unit = Unit(forTotal: max(running.delivered, running.recorded, running.certified))
        func series(_ name: String, _ key: String, _ color: String, _ value: (Totals) -> Double) -> ChartSeries {
            let start = cumulative.first.map { [ChartPoint(time: $0.time, value: 0)] } ?? []
            let points = cumulative.map { ChartPoint(time: $0.time, value: value($0.totals) / unit.inversePicobarns) }
            return ChartSeries(name: name, key: key, color: color, points: start + points)
        }
        let subtitle = cumulative.first.map { first in
            let from = UTCDate(seconds: first.time).isoMinuteLabel
            let to = UTCDate(seconds: cumulative[cumulative.count - 1].time).isoMinuteLabel
            return "Data included from \(from) to \(to) UTC"
        }
        let chart = TimeChart(
            title: scope.isEmpty ? "CMS integrated luminosity" : "CMS integrated luminosity, \(scope)",
            subtitle: subtitle,
            yAxisLabel: "Total integrated luminosity",
            unit: unit.symbol,
            decimals: 2,
            series: [
                series("Delivered", "delivered", "#0072B2", \.delivered),
                series("Recorded", "recorded", "#E69F00", \.recorded),
                series("Certified", "certified", "#009E73", \.certified),
            ])
        return (chart, running)
    }

    private static func finiteOrZero(_ value: Double) -> Double {
        value.isFinite ? value : 0
    }
}
