/// Lays out a ``TimeChart`` on a canvas and writes its SVG markup.
///
/// Sizes derive from one base font size (proportional to the canvas width), so the layout keeps its proportions
/// at any canvas size. Text widths are estimated from character counts.
struct SVGRenderer {
    /// The chart being drawn.
    let chart: TimeChart
    /// The canvas width in SVG user units.
    let width: Double
    /// The canvas height in SVG user units.
    let height: Double
    /// The base font size in user units.
    let font: Double
    /// Each series with its finite points in time order.
    let lines: [(series: ChartSeries, points: [ChartPoint])]
    /// The markup written so far.
    private var out = ""

    /// The average advance of a character, as a fraction of the font size.
    private static let characterWidth = 0.6
    /// A light grey for grid lines.
    private static let gridColor = "#e3e3e3"
    /// The colour of text, axes and the frame.
    private static let inkColor = "#222"

    init(chart: TimeChart, width: Int, height: Int) {
        self.chart = chart
        self.width = Double(width)
        self.height = Double(height)
        font = max(13, (Double(width) / 40).rounded())
        lines = chart.series.map { ($0, $0.plottedPoints) }
    }

    /// Writes the whole document.
    mutating func render() -> String {
        out = ""
        let points = lines.flatMap(\.points)
        let headerBottom = writeOpeningAndHeader()

        // Vertical layout: header, plot, x tick labels, x-axis title.
        let plotTop = headerBottom
        let plotBottom = height - font * 3.2
        let plotHeight = max(plotBottom - plotTop, font)
        let plotRight = width - font * 2.6

        // Time axis: at least an hour wide (centred on the data when they span less), a little past the data.
        let lastTime = points.map(\.time).max() ?? 3600
        let dataEnd = points.isEmpty ? lastTime : max(lastTime, chart.endTime.flatMap { $0.isFinite ? $0 : nil } ?? lastTime)
        var start = points.map(\.time).min() ?? 0
        var end = dataEnd
        if end - start < 3600 {
            let middle = (start + end) / 2
            (start, end) = (middle - 1800, middle + 1800)
        } else {
            end += (end - start) * 0.02  // so that a last step shows beside the frame
        }

        // Value axis: from 0 (or below) to a nice number, high enough that the legend (top left, inside the
        // plot) clears the lines under it. The plot's left edge depends on the tick labels' width, so the scale
        // is computed twice: first for a guessed edge, then for the edge its labels need.
        let legendTexts = lines.map { chart.legendText($0.series) }
        let legendWidth = font * 2.9 + Double(legendTexts.map(\.count).max() ?? 0) * Self.characterWidth * font
        let legendHeight = Double(lines.count) * font * 1.35 + font * 0.5
        let lower = min(0, points.map(\.value).min() ?? 0)
        let highest = max(0, points.map(\.value).max() ?? 0)
        func valueScale(plotLeft: Double) -> AxisScale {
            let legendEnd = start + (font * 2.2 + legendWidth) / max(plotRight - plotLeft, font) * (end - start)
            let underLegend = points.filter { $0.time <= legendEnd }.map(\.value).max() ?? lower
            let covered = min((legendHeight + font * 1.2) / plotHeight, 0.8)
            let needed = lower + (max(underLegend, lower) - lower) / (1 - covered)
            return AxisTicks.values(from: lower, to: max(highest, needed), maxTicks: max(2, Int(plotHeight / (font * 2.2))))
        }
        func plotLeft(for scale: AxisScale) -> Double {
            font * 1.6 + Double(scale.ticks.map(\.label.count).max() ?? 1) * Self.characterWidth * font + font * 0.6
        }
        let yScale = valueScale(plotLeft: plotLeft(for: valueScale(plotLeft: font * 4)))
        let yTicks = points.isEmpty ? [] : yScale.ticks
        let plotLeft = plotLeft(for: yScale)
        let plotWidth = max(plotRight - plotLeft, font)

        let labelCharacters = end - start < 60 * 86_400 ? 6.0 : 8.0
        let xTicks =
            points.isEmpty
            ? []
            : AxisTicks.times(
                from: start, to: end,
                maxTicks: max(2, Int(plotWidth / ((labelCharacters * Self.characterWidth + 1.6) * font))))

        let x = { (time: Double) in plotLeft + (time - start) / (end - start) * plotWidth }
        let y = { (value: Double) in
            plotBottom - (value - yScale.lower) / (yScale.upper - yScale.lower) * plotHeight
        }

        // Grid and tick labels.
        out += "<g stroke=\"\(Self.gridColor)\" stroke-width=\"1\">"
        for tick in yTicks { out += "<line x1=\"\(n(plotLeft))\" y1=\"\(n(y(tick.value)))\" x2=\"\(n(plotRight))\" y2=\"\(n(y(tick.value)))\"/>" }
        for tick in xTicks { out += "<line x1=\"\(n(x(tick.value)))\" y1=\"\(n(plotTop))\" x2=\"\(n(x(tick.value)))\" y2=\"\(n(plotBottom))\"/>" }
        out += "</g>\n"
        out += "<g fill=\"\(Self.inkColor)\" text-anchor=\"end\" data-axis=\"y\">"
        for tick in yTicks {
            out += "<text x=\"\(n(plotLeft - font * 0.4))\" y=\"\(n(y(tick.value) + font * 0.35))\""
            out += " data-value=\"\(plainDecimal(tick.value))\">\(xmlEscaped(tick.label))</text>"
        }
        out += "</g>\n<g fill=\"\(Self.inkColor)\" text-anchor=\"middle\" data-axis=\"x\">"
        for tick in xTicks {
            out += "<text x=\"\(n(x(tick.value)))\" y=\"\(n(plotBottom + font * 1.35))\""
            out += " data-time=\"\(plainDecimal(tick.value))\">\(xmlEscaped(tick.label))</text>"
        }
        out += "</g>\n"

        // Frame and axis titles.
        out += "<rect x=\"\(n(plotLeft))\" y=\"\(n(plotTop))\" width=\"\(n(plotWidth))\" height=\"\(n(plotHeight))\""
        out += " fill=\"none\" stroke=\"\(Self.inkColor)\" stroke-width=\"1.5\"/>\n"
        let xTitle = end - start < 2 * 86_400 ? "Time (UTC)" : "Date (UTC)"
        out += "<text x=\"\(n(plotLeft + plotWidth / 2))\" y=\"\(n(plotBottom + font * 2.75))\" text-anchor=\"middle\""
        out += " fill=\"\(Self.inkColor)\">\(xTitle)</text>\n"
        let yTitle = chart.yAxisTitle
        let yTitleFont = min(font, plotHeight / (Double(yTitle.count) * 0.52))
        out += "<text transform=\"translate(\(n(font * 1.1)) \(n(plotTop + plotHeight / 2))) rotate(-90)\""
        out += " text-anchor=\"middle\" font-size=\"\(n(yTitleFont))\" fill=\"\(Self.inkColor)\">"
        out += "\(xmlEscaped(yTitle))</text>\n"

        guard !points.isEmpty else {
            out += "<text x=\"\(n(plotLeft + plotWidth / 2))\" y=\"\(n(plotTop + plotHeight / 2))\""
            out += " text-anchor=\"middle\" fill=\"#666\" data-empty=\"true\">no data</text>\n</svg>\n"
            return out
        }

        // Series, as step lines held until the last time of the data, each ending in a dot.
        let strokeWidth = max(2, font * 0.14)
        for (series, seriesPoints) in lines {
            out += "<g data-series=\"\(xmlEscaped(series.key))\" data-total=\"\(plainDecimal(series.finalValue))\""
            out += " fill=\"none\" stroke=\"\(xmlEscaped(series.color))\" stroke-width=\"\(n(strokeWidth))\""
            out += " stroke-linejoin=\"round\">"
            if let last = seriesPoints.last {
                var path = StepPath()
                for point in seriesPoints { path.move(to: x(point.time), y(point.value)) }
                path.move(to: x(dataEnd), y(last.value))
                out += "<path d=\"\(path.data)\"/>"
                out += "<circle cx=\"\(n(x(dataEnd)))\" cy=\"\(n(y(last.value)))\" r=\"\(n(strokeWidth * 1.6))\""
                out += " fill=\"\(xmlEscaped(series.color))\" stroke=\"none\"/>"
            }
            out += "</g>\n"
        }

        writeLegend(
            texts: legendTexts, left: plotLeft + font * 0.6, top: plotTop + font * 0.6, width: legendWidth,
            height: legendHeight)
        out += "</svg>\n"
        return out
    }

    /// Writes the `<svg>` start tag, `<title>`, `<desc>`, background and headings; returns the header's bottom.
    private mutating func writeOpeningAndHeader() -> Double {
        out += "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" width=\"100%\""
        out += " preserveAspectRatio=\"xMidYMid meet\" style=\"display:block;height:auto;max-width:100%\""
        out += " role=\"img\" aria-label=\"\(xmlEscaped(chart.title))\""
        out += " font-family=\"system-ui, Helvetica, Arial, sans-serif\" font-size=\"\(n(font))\""
        if !chart.unit.isEmpty { out += " data-unit=\"\(xmlEscaped(chart.unit))\"" }
        out += ">\n<title>\(xmlEscaped(chart.title))</title>\n"
        let totals = lines.contains { !$0.points.isEmpty } ? lines.map { chart.legendText($0.series) } : ["no data"]
        let description = ([chart.subtitle].compactMap { $0 } + totals).joined(separator: "; ")
        out += "<desc>\(xmlEscaped(description))</desc>\n"
        out += "<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>\n"

        var baseline = font * 1.45
        out += "<text x=\"\(n(font * 0.6))\" y=\"\(n(baseline))\" font-size=\"\(n(font * 1.15))\" font-weight=\"bold\""
        out += " fill=\"\(Self.inkColor)\">\(xmlEscaped(chart.title))</text>\n"
        if let subtitle = chart.subtitle, !subtitle.isEmpty {
            baseline += font * 1.25
            out += "<text x=\"\(n(font * 0.6))\" y=\"\(n(baseline))\" font-size=\"\(n(font * 0.85))\" fill=\"#555\">"
            out += "\(xmlEscaped(subtitle))</text>\n"
        }
        return baseline + font * 0.9
    }

    /// Writes the legend box: a swatch and "Name: total unit" per series.
    private mutating func writeLegend(texts: [String], left: Double, top: Double, width: Double, height: Double) {
        out += "<g data-legend=\"true\">"
        out += "<rect x=\"\(n(left))\" y=\"\(n(top))\" width=\"\(n(width))\" height=\"\(n(height))\""
        out += " fill=\"#fff\" fill-opacity=\"0.9\" stroke=\"#bbb\"/>"
        for (index, (line, text)) in zip(lines, texts).enumerated() {
            let middle = top + font * 0.25 + (Double(index) + 0.5) * font * 1.35
            out += "<line x1=\"\(n(left + font * 0.5))\" y1=\"\(n(middle))\" x2=\"\(n(left + font * 1.9))\""
            out += " y2=\"\(n(middle))\" stroke=\"\(xmlEscaped(line.series.color))\" stroke-width=\"\(n(font * 0.3))\"/>"
            out += "<text x=\"\(n(left + font * 2.4))\" y=\"\(n(middle + font * 0.35))\" fill=\"\(Self.inkColor)\""
            out += " data-legend-for=\"\(xmlEscaped(line.series.key))\">\(xmlEscaped(text))</text>"
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
