/// Where a ``TimeChart``'s parts go on its canvas: header, plot rectangle, scales and legend.
///
/// Sizes derive from one base font size, proportional to the canvas width, so the layout keeps its proportions
/// at any size. Text widths are estimated from character counts.
struct ChartLayout {
    /// The average advance of a character, as a fraction of the font size.
    static let characterWidth = 0.6

    /// The canvas width in user units.
    let width: Double
    /// The canvas height in user units.
    let height: Double
    /// The base font size in user units.
    let font: Double
    /// The baselines of the title and, when there is one, the subtitle.
    let titleBaselines: [Double]
    /// The plot rectangle's edges.
    let plotLeft, plotTop, plotRight, plotBottom: Double
    /// The time axis range (seconds since the epoch).
    let start, end: Double
    /// The time the lines are held until: the latest point, or the chart's later end time.
    let holdUntil: Double
    /// The value axis.
    let valueScale: AxisScale
    /// The value axis ticks; none without data.
    let valueTicks: [AxisTick]
    /// The time axis ticks; none without data.
    let timeTicks: [AxisTick]
    /// The legend box's size; it sits at the plot's top left corner, inset by `legendInset`.
    let legendWidth, legendHeight: Double
    /// The legend's distance from the plot's top and left edges.
    var legendInset: Double { font * 0.6 }

    init(chart: TimeChart, lines: [(series: ChartSeries, points: [ChartPoint])], width: Int, height: Int) {
        let font = max(13, (Double(width) / 40).rounded())
        let points = lines.flatMap(\.points)
        (self.width, self.height, self.font) = (Double(width), Double(height), font)

        // Vertical: title (and subtitle), plot, x tick labels, x-axis title.
        let hasSubtitle = !(chart.subtitle ?? "").isEmpty
        titleBaselines = hasSubtitle ? [font * 1.45, font * 2.7] : [font * 1.45]
        plotTop = titleBaselines[titleBaselines.count - 1] + font * 0.9
        plotBottom = Double(height) - font * 3.2
        let plotHeight = max(plotBottom - plotTop, font)
        plotRight = Double(width) - font * 2.6

        // Time: at least an hour wide (centred on the data when they span less), a little past the data.
        let lastTime = points.map(\.time).max() ?? 3600
        let endTime = points.isEmpty ? nil : chart.endTime.flatMap { $0.isFinite ? $0 : nil }
        holdUntil = max(lastTime, endTime ?? lastTime)
        var (start, end) = (points.map(\.time).min() ?? 0, holdUntil)
        if end - start < 3600 {
            (start, end) = ((start + end) / 2 - 1800, (start + end) / 2 + 1800)
        } else {
            end += (end - start) * 0.02  // so that a last step shows beside the frame
        }
        (self.start, self.end) = (start, end)

        // Values: from 0 (or below) to a nice number high enough that the legend clears the lines under it.
        // The plot's left edge depends on the tick labels' width, so the scale is computed for a guessed edge
        // first, then for the edge its labels need.
        let legendCharacters = lines.map { chart.legendText($0.series).count }.max() ?? 0
        legendWidth = font * 2.9 + Double(legendCharacters) * Self.characterWidth * font
        legendHeight = Double(lines.count) * font * 1.35 + font * 0.5
        let lower = min(0, points.map(\.value).min() ?? 0)
        let highest = max(0, points.map(\.value).max() ?? 0)
        let (legendWidth, legendHeight, plotRight) = (legendWidth, legendHeight, plotRight)  // not self: in init
        func scale(plotLeft: Double) -> AxisScale {
            let legendEnd = start + (font * 2.2 + legendWidth) / max(plotRight - plotLeft, font) * (end - start)
            let underLegend = points.filter { $0.time <= legendEnd }.map(\.value).max() ?? lower
            let covered = min((legendHeight + font * 1.2) / plotHeight, 0.8)
            let needed = lower + (max(underLegend, lower) - lower) / (1 - covered)
            return AxisTicks.values(from: lower, to: max(highest, needed), maxTicks: Int(plotHeight / (font * 2.2)))
        }
        func leftEdge(for scale: AxisScale) -> Double {
            let labelCharacters = points.isEmpty ? 1 : scale.ticks.map(\.label.count).max() ?? 1
            return font * 2.2 + Double(labelCharacters) * Self.characterWidth * font
        }
        valueScale = scale(plotLeft: leftEdge(for: scale(plotLeft: font * 4)))
        plotLeft = leftEdge(for: valueScale)
        valueTicks = points.isEmpty ? [] : valueScale.ticks

        let labelCharacters = end - start < 60 * 86_400 ? 6.0 : 8.0
        let tickSpacing = (labelCharacters * Self.characterWidth + 1.6) * font
        timeTicks =
            points.isEmpty
            ? [] : AxisTicks.times(from: start, to: end, maxTicks: Int((plotRight - plotLeft) / tickSpacing))
    }

    /// The plot rectangle's width.
    var plotWidth: Double { max(plotRight - plotLeft, font) }
    /// The plot rectangle's height.
    var plotHeight: Double { max(plotBottom - plotTop, font) }

    /// The canvas x of a time.
    func x(_ time: Double) -> Double {
        plotLeft + (time - start) / (end - start) * plotWidth
    }

    /// The canvas y of a value.
    func y(_ value: Double) -> Double {
        plotBottom - (value - valueScale.lower) / (valueScale.upper - valueScale.lower) * plotHeight
    }

    /// A font size no larger than `size` at which `text` fits in `length` user units.
    func fitting(_ text: String, in length: Double, size: Double) -> Double {
        min(size, length / (Double(max(text.count, 1)) * Self.characterWidth * 0.9))
    }
}

/// Writes the SVG markup of a ``TimeChart``.
struct SVGRenderer {
    /// The chart being drawn.
    let chart: TimeChart
    /// Each series with its finite points in time order.
    let lines: [(series: ChartSeries, points: [ChartPoint])]
    /// Where everything goes.
    let layout: ChartLayout
    /// The markup written so far.
    private var out = ""

    /// The colour of text, axes and the frame.
    private static let ink = "#222"

    init(chart: TimeChart, width: Int, height: Int) {
        self.chart = chart
        lines = chart.series.map { ($0, $0.plottedPoints) }
        layout = ChartLayout(chart: chart, lines: lines, width: width, height: height)
    }

    /// The whole document.
    mutating func render() -> String {
        out = ""
        let hasData = lines.contains { !$0.points.isEmpty }
        writeHeader(hasData: hasData)
        writeAxes()
        if hasData {
            writeSeries()
            writeLegend()
        } else {
            let (x, y) = (layout.plotLeft + layout.plotWidth / 2, layout.plotTop + layout.plotHeight / 2)
            out += "<text x=\"\(n(x))\" y=\"\(n(y))\" text-anchor=\"middle\" fill=\"#666\" data-empty=\"true\">"
            out += "no data</text>\n"
        }
        out += "</svg>\n"
        return out
    }

    /// Writes the `<svg>` start tag, `<title>`, `<desc>` (the legend lines), background, title and subtitle.
    private mutating func writeHeader(hasData: Bool) {
        let font = layout.font
        out += "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(Int(layout.width)) \(Int(layout.height))\""
        out +=
            " width=\"100%\" preserveAspectRatio=\"xMidYMid meet\" style=\"display:block;height:auto;max-width:100%\""
        out += " role=\"img\" aria-label=\"\(xmlEscaped(chart.title))\""
        out += " font-family=\"system-ui, Helvetica, Arial, sans-serif\" font-size=\"\(n(font))\""
        if !chart.unit.isEmpty { out += " data-unit=\"\(xmlEscaped(chart.unit))\"" }
        out += ">\n<title>\(xmlEscaped(chart.title))</title>\n"
        let totals = hasData ? lines.map { chart.legendText($0.series) } : ["no data"]
        out += "<desc>\(xmlEscaped(([chart.subtitle].compactMap { $0 } + totals).joined(separator: "; ")))</desc>\n"
        out += "<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>\n"

        let room = layout.width - font * 1.2
        let titleSize = layout.fitting(chart.title, in: room, size: font * 1.15)
        out += "<text x=\"\(n(font * 0.6))\" y=\"\(n(layout.titleBaselines[0]))\" font-size=\"\(n(titleSize))\""
        out += " font-weight=\"bold\" fill=\"\(Self.ink)\">\(xmlEscaped(chart.title))</text>\n"
        if let subtitle = chart.subtitle, layout.titleBaselines.count > 1 {
            let size = layout.fitting(subtitle, in: room, size: font * 0.85)
            out += "<text x=\"\(n(font * 0.6))\" y=\"\(n(layout.titleBaselines[1]))\" font-size=\"\(n(size))\""
            out += " fill=\"#555\">\(xmlEscaped(subtitle))</text>\n"
        }
    }

    /// Writes the grid, tick labels (with `data-value` / `data-time`), plot frame and axis titles.
    private mutating func writeAxes() {
        let (font, l) = (layout.font, layout)
        out += "<g stroke=\"#e3e3e3\" stroke-width=\"1\">"
        for tick in l.valueTicks {
            let y = n(l.y(tick.value))
            out += "<line x1=\"\(n(l.plotLeft))\" y1=\"\(y)\" x2=\"\(n(l.plotRight))\" y2=\"\(y)\"/>"
        }
        for tick in l.timeTicks {
            let x = n(l.x(tick.value))
            out += "<line x1=\"\(x)\" y1=\"\(n(l.plotTop))\" x2=\"\(x)\" y2=\"\(n(l.plotBottom))\"/>"
        }
        out += "</g>\n<g fill=\"\(Self.ink)\" text-anchor=\"end\" data-axis=\"y\">"
        for tick in l.valueTicks {
            out += "<text x=\"\(n(l.plotLeft - font * 0.4))\" y=\"\(n(l.y(tick.value) + font * 0.35))\""
            out += " data-value=\"\(plainDecimal(tick.value))\">\(xmlEscaped(tick.label))</text>"
        }
        out += "</g>\n<g fill=\"\(Self.ink)\" text-anchor=\"middle\" data-axis=\"x\">"
        for tick in l.timeTicks {
            out += "<text x=\"\(n(l.x(tick.value)))\" y=\"\(n(l.plotBottom + font * 1.35))\""
            out += " data-time=\"\(plainDecimal(tick.value))\">\(xmlEscaped(tick.label))</text>"
        }
        out += "</g>\n"

        out += "<rect x=\"\(n(l.plotLeft))\" y=\"\(n(l.plotTop))\" width=\"\(n(l.plotWidth))\""
        out += " height=\"\(n(l.plotHeight))\" fill=\"none\" stroke=\"\(Self.ink)\" stroke-width=\"1.5\"/>\n"
        let timeTitle = l.end - l.start < 2 * 86_400 ? "Time (UTC)" : "Date (UTC)"
        out += "<text x=\"\(n(l.plotLeft + l.plotWidth / 2))\" y=\"\(n(l.plotBottom + font * 2.75))\""
        out += " text-anchor=\"middle\" fill=\"\(Self.ink)\">\(timeTitle)</text>\n"
        let valueTitle = chart.yAxisTitle
        out += "<text transform=\"translate(\(n(font * 1.1)) \(n(l.plotTop + l.plotHeight / 2))) rotate(-90)\""
        out += " text-anchor=\"middle\" font-size=\"\(n(l.fitting(valueTitle, in: l.plotHeight, size: font)))\""
        out += " fill=\"\(Self.ink)\">\(xmlEscaped(valueTitle))</text>\n"
    }

    /// Writes each series as a `<g data-series data-total>` holding its step line and a dot at its end.
    private mutating func writeSeries() {
        let l = layout
        let strokeWidth = max(2, l.font * 0.14)
        for (series, points) in lines {
            out += "<g data-series=\"\(xmlEscaped(series.key))\" data-total=\"\(plainDecimal(series.finalValue))\""
            out += " fill=\"none\" stroke=\"\(xmlEscaped(series.color))\" stroke-width=\"\(n(strokeWidth))\""
            out += " stroke-linejoin=\"round\">"
            if let last = points.last {
                var path = StepPath()
                for point in points { path.move(to: l.x(point.time), l.y(point.value)) }
                path.move(to: l.x(l.holdUntil), l.y(last.value))
                out += "<path d=\"\(path.data)\"/>"
                out +=
                    "<circle cx=\"\(n(l.x(l.holdUntil)))\" cy=\"\(n(l.y(last.value)))\" r=\"\(n(strokeWidth * 1.6))\""
                out += " fill=\"\(xmlEscaped(series.color))\" stroke=\"none\"/>"
            }
            out += "</g>\n"
        }
    }

    /// Writes the legend box: per series a swatch and "Name: total unit".
    private mutating func writeLegend() {
        let (font, l) = (layout.font, layout)
        let (left, top) = (l.plotLeft + l.legendInset, l.plotTop + l.legendInset)
        out += "<g data-legend=\"true\">"
        out += "<rect x=\"\(n(left))\" y=\"\(n(top))\" width=\"\(n(l.legendWidth))\" height=\"\(n(l.legendHeight))\""
        out += " fill=\"#fff\" fill-opacity=\"0.9\" stroke=\"#bbb\"/>"
        for (index, (series, _)) in lines.enumerated() {
            let middle = n(top + font * 0.25 + (Double(index) + 0.5) * font * 1.35)
            out +=
                "<line x1=\"\(n(left + font * 0.5))\" y1=\"\(middle)\" x2=\"\(n(left + font * 1.9))\" y2=\"\(middle)\""
            out += " stroke=\"\(xmlEscaped(series.color))\" stroke-width=\"\(n(font * 0.3))\"/>"
            out +=
                "<text x=\"\(n(left + font * 2.4))\" y=\"\(n(top + font * 0.6 + (Double(index) + 0.5) * font * 1.35))\""
            out += " fill=\"\(Self.ink)\" data-legend-for=\"\(xmlEscaped(series.key))\">"
            out += "\(xmlEscaped(chart.legendText(series)))</text>"
        }
        out += "</g>\n"
    }

    /// A coordinate with one decimal.
    private func n(_ value: Double) -> String {
        fixedDecimal(value, decimals: 1)
    }
}

/// The `d` attribute of a step line, in tenths of a user unit, without redundant commands.
///
/// A horizontal move is written only when the x coordinate changes, and consecutive vertical moves in one
/// direction merge, so a series with many points per pixel stays small without changing what is drawn.
struct StepPath {
    /// The commands written so far.
    private var written = ""
    /// The pen position in tenths, including the pending vertical move.
    private var pen: (x: Int, y: Int)?
    /// A vertical move not written yet, which the next one may extend.
    private var pendingVertical: (from: Int, to: Int)?

    /// Steps to `(x, y)`: horizontally at the current height, then vertically.
    mutating func move(to x: Double, _ y: Double) {
        let target = (x: Int((x * 10).rounded()), y: Int((y * 10).rounded()))
        guard let pen else {
            written = "M\(tenths(target.x)) \(tenths(target.y))"
            self.pen = target
            return
        }
        if target.x != pen.x {
            flushVertical()
            written += "H" + tenths(target.x)
        }
        if target.y != pen.y {
            if let vertical = pendingVertical, (target.y > vertical.to) == (vertical.to > vertical.from) {
                pendingVertical = (vertical.from, target.y)
            } else {
                flushVertical()
                pendingVertical = (pen.y, target.y)
            }
        }
        self.pen = target
    }

    /// The path data.
    var data: String {
        pendingVertical.map { written + "V" + tenths($0.to) } ?? written
    }

    private mutating func flushVertical() {
        if let vertical = pendingVertical { written += "V" + tenths(vertical.to) }
        pendingVertical = nil
    }

    private func tenths(_ value: Int) -> String {
        fixedDecimal(Double(value) / 10, decimals: 1)
    }
}
