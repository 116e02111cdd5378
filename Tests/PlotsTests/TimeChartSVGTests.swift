import Foundation
import Plots
import Testing

/// Three weeks of a tracker workspace signing off 120 datasets of a processing pass.
private func trackerProgress() -> [CertificationProgress.Sample] {
    (0...21).map { day in
        let completed = min(120, day * day / 4)
        let signOff = min(120 - completed, day < 3 ? 0 : 9 + day % 4)
        return .init(
            time: utc(2024, 9, 2, 9) + Double(day) * 86_400, open: 120 - completed - signOff, signOff: signOff,
            completed: completed)
    }
}

private func sampleChart(title: String = "Certification progress, tracker, PromptReco") -> TimeChart {
    TimeChart(
        title: title, yAxisLabel: "Datasets", decimals: 0,
        series: [
            ChartSeries(
                name: "COMPLETED", key: "completed", color: "#009E73",
                points: [ChartPoint(time: utc(2024, 9, 2), value: 3), ChartPoint(time: utc(2024, 9, 9), value: 40)])
        ])
}

/// The SVG document: structure, accessibility, escaping, edge cases and determinism.
@Suite struct TimeChartSVGTests {
    @Test func svgIsWellFormedAndScalesToItsContainer() throws {
        let markup = sampleChart().svg()
        let svg = try parseSVG(markup)
        #expect(svg.name == "svg")
        #expect(svg.attributes["xmlns"] == "http://www.w3.org/2000/svg")
        #expect(svg.attributes["viewBox"] == "0 0 800 420")
        #expect(svg.attributes["width"] == "100%")
        #expect(svg.attributes["height"] == nil)
        #expect(!svg.attributes.values.contains { $0.contains("px") })
        #expect(svg.attributes["role"] == "img")
        #expect(svg.attributes["aria-label"] == "Certification progress, tracker, PromptReco")
        #expect(svg.children.first?.name == "title")
        #expect(svg.children.first?.text == "Certification progress, tracker, PromptReco")
        #expect(svg.children.dropFirst().first?.text == "COMPLETED: 40")
        #expect(markup.hasPrefix("<svg ") && markup.hasSuffix("</svg>\n"))
    }

    @Test func narrowCanvasKeepsTextLegible() throws {
        let svg = try parseSVG(sampleChart().svg(width: 390, height: 320))
        #expect(svg.attributes["viewBox"] == "0 0 390 320")
        #expect(try #require(svg.attributes["font-size"].flatMap(Double.init)) >= 12)
        #expect(svg.all(having: "data-time").count >= 2)
    }

    @Test func emptyChartRendersTheFrameWithNoData() throws {
        for chart in [
            TimeChart(title: "Nothing yet", yAxisLabel: "Datasets", series: []),
            TimeChart(
                title: "Nothing yet", yAxisLabel: "Datasets",
                series: [ChartSeries(name: "A", key: "a", color: "red", points: [])]),
            IntegratedLuminosity.chart([], scope: "pp, 2026").chart,
        ] {
            let svg = try parseSVG(chart.svg())
            #expect(svg.all("text").contains { $0.text == "no data" })
            #expect(svg.all("rect").count == 2)  // background and frame
            #expect(svg.all(having: "data-series").isEmpty)
            #expect(svg.all(having: "data-time").isEmpty)
        }
    }

    @Test func singlePointGetsATimeAxisAroundIt() throws {
        let chart = TimeChart(
            title: "One run", yAxisLabel: "Total integrated luminosity", unit: "pb⁻¹",
            series: [
                ChartSeries(
                    name: "Delivered", key: "delivered", color: "#0072B2",
                    points: [ChartPoint(time: utc(2024, 6, 1, 14, 37), value: 412.5)])
            ])
        let markup = chart.svg()
        #expect(!markup.contains("nan") && !markup.contains("inf"))
        let svg = try parseSVG(markup)
        #expect(svg.all(having: "data-time").count >= 2)
        let line = try #require(svg.all(having: "data-series").first)
        #expect(line.attributes["data-total"] == "412.5")
        #expect(line.all("circle").count == 1)
        #expect(svg.all(having: "data-legend-for").first?.text == "Delivered: 412.50 pb⁻¹")
    }

    @Test func allZeroValuesGetAUnitAxis() throws {
        let zero = ChartSeries(
            name: "Certified", key: "certified", color: "#009E73",
            points: [ChartPoint(time: utc(2024, 6, 1), value: 0), ChartPoint(time: utc(2024, 6, 20), value: 0)])
        let svg = try parseSVG(
            TimeChart(title: "Nothing certified", yAxisLabel: "L", unit: "pb⁻¹", series: [zero]).svg())
        let yTicks = svg.all(having: "data-value").map { Double($0.attributes["data-value"]!)! }
        #expect(yTicks.first == 0 && yTicks.last == 1)
        #expect(svg.all(having: "data-series").first?.attributes["data-total"] == "0")
    }

    @Test func identicalTimesKeepInputOrderAndDoNotDivideByZero() throws {
        let time = utc(2024, 6, 1, 12)
        let series = ChartSeries(
            name: "Recorded", key: "recorded", color: "#E69F00",
            points: [
                ChartPoint(time: time, value: 5), ChartPoint(time: time, value: 9), ChartPoint(time: time, value: 7),
            ])
        #expect(series.finalValue == 7)
        let markup = TimeChart(title: "Burst", yAxisLabel: "L", series: [series]).svg()
        #expect(!markup.contains("nan") && !markup.contains("inf"))
        #expect(try parseSVG(markup).all(having: "data-series").first?.attributes["data-total"] == "7")
    }

    @Test func nonFinitePointsAreIgnored() throws {
        let series = ChartSeries(
            name: "A", key: "a", color: "red",
            points: [
                ChartPoint(time: utc(2024, 6, 1), value: 2), ChartPoint(time: .nan, value: 5),
                ChartPoint(time: utc(2024, 6, 3), value: .infinity),
            ])
        #expect(series.finalValue == 2)
        let markup = TimeChart(title: "T", yAxisLabel: "L", series: [series]).svg()
        #expect(!markup.contains("nan") && !markup.contains("inf"))
    }

    @Test func textIsEscapedEverywhere() throws {
        let hostile = ChartSeries(
            name: "Cert & <Co>", key: "a\"b'c", color: "red\" onload=\"alert(1)",
            points: [ChartPoint(time: utc(2024, 6, 1), value: 1), ChartPoint(time: utc(2024, 6, 4), value: 2)])
        let chart = TimeChart(
            title: "Run <A&B> \"x\" 'y'", subtitle: "</text><script>", yAxisLabel: "L & M", unit: "<u>",
            series: [hostile])
        let markup = chart.svg()
        #expect(!markup.contains("<script") && !markup.contains("<A&B>") && !markup.contains("<Co>"))
        let svg = try parseSVG(markup)
        #expect(svg.all("title").first?.text == "Run <A&B> \"x\" 'y'")
        #expect(svg.attributes["aria-label"] == "Run <A&B> \"x\" 'y'")
        let texts = svg.all("text").map(\.text)
        #expect(texts.contains("</text><script>"))
        #expect(texts.contains("L & M (<u>)"))
        #expect(texts.contains("Cert & <Co>: 2.00 <u>"))
        let group = try #require(svg.all(having: "data-series").first)
        #expect(group.attributes["data-series"] == "a\"b'c")
        #expect(group.attributes["stroke"] == "red\" onload=\"alert(1)")
        #expect(svg.allNodes.allSatisfy { $0.attributes["onload"] == nil })
    }

    @Test func outputIsDeterministic() {
        let first = IntegratedLuminosity.chart(
            [.init(time: utc(2024, 5, 1), delivered: 1500, recorded: 1400, certified: 1300)], scope: "pp"
        ).chart
        let second = IntegratedLuminosity.chart(
            [.init(time: utc(2024, 5, 1), delivered: 1500, recorded: 1400, certified: 1300)], scope: "pp"
        ).chart
        #expect(first.svg() == second.svg())
        #expect(first.svg(width: 600, height: 400) != first.svg())
    }

    @Test func certificationProgressTotalsAreTheLatestCounts() throws {
        let samples = trackerProgress()
        let latest = try #require(samples.last)
        let chart = CertificationProgress.chart(samples, workspace: "tracker", pass: "PromptReco, Collisions24")
        #expect(chart.title == "Certification progress, tracker, PromptReco, Collisions24")
        let svg = try parseSVG(chart.svg())
        let totals = svg.all(having: "data-series").map {
            "\($0.attributes["data-series"]!)=\($0.attributes["data-total"]!)"
        }
        #expect(totals == ["open=\(latest.open)", "signoff=\(latest.signOff)", "completed=\(latest.completed)"])
        #expect(latest.open + latest.signOff + latest.completed == 120)
        let legend = svg.all(having: "data-legend-for").map(\.text)
        #expect(legend == ["OPEN: \(latest.open)", "SIGNOFF: \(latest.signOff)", "COMPLETED: \(latest.completed)"])
        #expect(svg.all("text").map(\.text).contains("Datasets"))
        // Three weeks: ticks on day boundaries.
        let times = svg.all(having: "data-time").map { Double($0.attributes["data-time"]!)! }
        #expect(!times.isEmpty && times.allSatisfy { $0.truncatingRemainder(dividingBy: 86_400) == 0 })
    }

    @Test func legendDoesNotCoverTheLines() throws {
        // OPEN starts at its maximum, top left, where the legend is.
        let svg = try parseSVG(
            CertificationProgress.chart(trackerProgress(), workspace: "tracker", pass: "PromptReco").svg())
        let box = try #require(svg.all(having: "data-legend").first?.all("rect").first?.attributes)
        let (left, top) = (Double(box["x"]!)!, Double(box["y"]!)!)
        let (right, bottom) = (left + Double(box["width"]!)!, top + Double(box["height"]!)!)
        for path in svg.all("path") {
            let vertices = stepVertices(path.attributes["d"]!)
            #expect(vertices.count > 2)
            for (from, to) in zip(vertices, vertices.dropFirst())
            where max(from.x, to.x) >= left && min(from.x, to.x) <= right {
                #expect(min(from.y, to.y) > bottom, "segment \(from) → \(to) under the legend \(box)")
            }
        }
    }

    @Test func endTimeHoldsTheLastValuesUntilTheAsOfTime() throws {
        let samples = trackerProgress()
        var chart = CertificationProgress.chart(samples, workspace: "tracker", pass: "PromptReco")
        let plain = try parseSVG(chart.svg())
        chart.endTime = samples.last!.time + 3 * 86_400
        let held = try parseSVG(chart.svg())
        // Without an end time the line stops at the last sample's jump; with one it runs on horizontally.
        let finalSegments = { (svg: SVGNode) in
            svg.all("path").map { Array(stepVertices($0.attributes["d"]!).suffix(2)) }
        }
        #expect(finalSegments(plain).allSatisfy { $0[0].x == $0[1].x })
        #expect(finalSegments(held).allSatisfy { $0[0].y == $0[1].y && $0[1].x - $0[0].x > 50 })
        chart.endTime = samples[3].time  // before the latest point: ignored
        #expect(chart.svg() == CertificationProgress.chart(samples, workspace: "tracker", pass: "PromptReco").svg())
    }

    @Test func denseSeriesKeepsThePathSmall() throws {
        // A year of lumisections (100,000 points) on an 800-unit canvas: one vertical move per pixel column.
        var total = 0.0
        let points = (0..<100_000).map { index -> ChartPoint in
            total += 0.0012
            return ChartPoint(time: utc(2024, 4, 1) + Double(index) * 180, value: total)
        }
        let chart = TimeChart(
            title: "Dense", yAxisLabel: "L", unit: "fb⁻¹",
            series: [ChartSeries(name: "Delivered", key: "delivered", color: "#0072B2", points: points)])
        let markup = chart.svg()
        #expect(markup.utf8.count < 200_000)
        let path = try #require(try parseSVG(markup).all("path").first?.attributes["d"])
        #expect(path.hasPrefix("M"))
        #expect(path.filter { $0 == "V" }.count <= 7_000)
        #expect(try parseSVG(markup).all(having: "data-series").first?.attributes["data-total"] == plainDecimal(total))
    }
}
