/// A value of a time series at one instant.
public struct ChartPoint: Sendable, Hashable {
    /// Seconds since 1970-01-01 00:00 UTC.
    public var time: Double
    /// The value from `time` until the series' next point, in the chart's unit.
    public var value: Double

    /// Creates a point; `time` is in seconds since 1970-01-01 00:00 UTC.
    public init(time: Double, value: Double) {
        self.time = time
        self.value = value
    }
}

/// A named line of a ``TimeChart``, drawn as steps: each value holds until the next point.
///
/// Points need not be sorted; they are drawn in time order (points with equal times keep their order), and the
/// last one drawn is the series' total. Points whose time or value is not finite are ignored.
public struct ChartSeries: Sendable, Hashable {
    /// The legend text, e.g. "Delivered".
    public var name: String
    /// A stable identifier for markup and browser tests, e.g. "delivered"; emitted as `data-series`.
    public var key: String
    /// A CSS colour for the line and its legend swatch, e.g. "#0072B2".
    public var color: String
    /// The values over time.
    public var points: [ChartPoint]

    /// Creates a series.
    public init(name: String, key: String, color: String, points: [ChartPoint]) {
        self.name = name
        self.key = key
        self.color = color
        self.points = points
    }

    /// The value of the latest point (for a cumulative series, its total), or 0 when there are no points.
    public var finalValue: Double {
        plottedPoints.last?.value ?? 0
    }

    /// The finite points in time order; points with equal times keep their input order.
    var plottedPoints: [ChartPoint] {
        points.enumerated()
            .filter { $0.element.time.isFinite && $0.element.value.isFinite }
            .sorted { ($0.element.time, $0.offset) < ($1.element.time, $1.offset) }
            .map(\.element)
    }
}
