/// A line chart of values over time, rendered as a self-contained, responsive SVG document.
///
/// ```swift
/// let chart = TimeChart(
///     title: "Certification progress, tracker",
///     yAxisLabel: "Datasets",
///     decimals: 0,
///     series: [ChartSeries(name: "COMPLETED", key: "completed", color: "#009E73", points: points)])
/// let markup = chart.svg()  // <svg viewBox="0 0 800 420" width="100%" role="img" …>
/// ```
///
/// The SVG scales to its container (`viewBox` plus `width="100%"`, no pixel width), carries `role="img"`, an
/// `aria-label` and a `<title>`, and shows a legend inside the plot with each series' final value. Every series'
/// `<g>` has `data-series` (its key) and `data-total` (its final value in the chart's unit, as a plain decimal).
/// The output depends only on the chart and the size: the same input gives the same bytes, in any locale.
public struct TimeChart: Sendable, Hashable {
    /// The heading, e.g. "CMS integrated luminosity, pp, 2024, √s = 13.6 TeV".
    public var title: String
    /// An optional smaller second line under the title, e.g. the time range the data covers.
    public var subtitle: String?
    /// What the y axis measures, without the unit, e.g. "Total integrated luminosity".
    public var yAxisLabel: String
    /// The unit of every value, e.g. "fb⁻¹"; empty for counts. Shown on the y axis and in the legend.
    public var unit: String
    /// The number of decimals of the totals shown in the legend.
    public var decimals: Int
    /// The lines, drawn and listed in the legend in this order.
    public var series: [ChartSeries]
    /// The time the lines hold their last values until, e.g. the as-of time of the data; nil ends the time axis
    /// at the latest point. Times before the latest point are ignored.
    public var endTime: Double?

    /// Creates a chart.
    public init(
        title: String, subtitle: String? = nil, yAxisLabel: String, unit: String = "", decimals: Int = 2,
        series: [ChartSeries], endTime: Double? = nil
    ) {
        self.title = title
        self.subtitle = subtitle
        self.yAxisLabel = yAxisLabel
        self.unit = unit
        self.decimals = decimals
        self.series = series
        self.endTime = endTime
    }

    /// Renders the chart as an `<svg>` element laid out on a `width` × `height` canvas (the `viewBox`).
    ///
    /// The size sets the proportions and the room for ticks; the element itself fills its container's width.
    /// Text scales with `width`, so a narrower canvas (e.g. 480) gives relatively larger text on small screens.
    /// Sizes below 240 × 160 are raised to it.
    public func svg(width: Int = 800, height: Int = 420) -> String {
        var renderer = SVGRenderer(chart: self, width: max(width, 240), height: max(height, 160))
        return renderer.render()
    }

    /// The y-axis title: the label with the unit in parentheses, when there is one.
    var yAxisTitle: String {
        unit.isEmpty ? yAxisLabel : "\(yAxisLabel) (\(unit))"
    }

    /// The legend line of a series, e.g. "Delivered: 12.34 fb⁻¹".
    func legendText(_ series: ChartSeries) -> String {
        let value = fixedDecimal(series.finalValue, decimals: decimals)
        return unit.isEmpty ? "\(series.name): \(value)" : "\(series.name): \(value) \(unit)"
    }
}
