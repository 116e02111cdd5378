import Foundation
import Plots
import Testing

/// The shared data folder beside the project checkout.
private let sharedData: URL = {
    var dir = URL(fileURLWithPath: #filePath)
    while dir.path != "/" {
        dir.deleteLastPathComponent()
        if FileManager.default.fileExists(atPath: dir.appendingPathComponent("Package.swift").path) { break }
    }
    return dir.deletingLastPathComponent().appendingPathComponent("shared/data")
}()

/// A 2024-like proton season: about 650 runs from April to October, 124 fb⁻¹ delivered, given out of order.
private func syntheticSeason() -> [IntegratedLuminosity.Contribution] {
    var random = SeededGenerator(state: 2024)
    var time = utc(2024, 4, 5, 8, 12)
    var runs: [IntegratedLuminosity.Contribution] = []
    while time < utc(2024, 10, 27) {
        let delivered = Double.random(in: 20...360, using: &random)
        let recorded = delivered * Double.random(in: 0.90...0.96, using: &random)
        let certified =
            Double.random(in: 0...1, using: &random) < 0.1 ? 0 : recorded * .random(in: 0.85...1, using: &random)
        runs.append(.init(time: time, delivered: delivered, recorded: recorded, certified: certified))
        time += Double.random(in: 3600...50_000, using: &random)
    }
    runs.shuffle(using: &random)
    return runs
}

/// The values of the `d` attribute's numbers after each `V` command: the heights a step line visits.
private func verticalTargets(_ path: String) -> [Double] {
    path.split(separator: "V").dropFirst().map { Double($0.prefix { $0 != "H" })! }
}

/// The cumulative luminosity chart: totals, units, labels, and order of accumulation.
@Suite struct IntegratedLuminosityTests {
    @Test func plottedTotalsEqualTheAccumulatedInput() throws {
        let runs = syntheticSeason()
        let expected = (
            delivered: runs.map(\.delivered).reduce(0, +), recorded: runs.map(\.recorded).reduce(0, +),
            certified: runs.map(\.certified).reduce(0, +)
        )
        let (chart, totals) = IntegratedLuminosity.chart(runs, scope: "pp, 2024, √s = 13.6 TeV")
        #expect(abs(totals.delivered - expected.delivered) < 1e-6)
        #expect(abs(totals.recorded - expected.recorded) < 1e-6)
        #expect(abs(totals.certified - expected.certified) < 1e-6)
        #expect(expected.delivered > 100_000 && expected.certified < expected.recorded)

        let svg = try parseSVG(chart.svg())
        let series = Dictionary(
            uniqueKeysWithValues: svg.all(having: "data-series").map { ($0.attributes["data-series"]!, $0) })
        #expect(series.keys.sorted() == ["certified", "delivered", "recorded"])
        let legend = Dictionary(
            uniqueKeysWithValues: svg.all(having: "data-legend-for").map {
                ($0.attributes["data-legend-for"]!, $0.text)
            })
        for (key, name, picobarns) in [
            ("delivered", "Delivered", expected.delivered), ("recorded", "Recorded", expected.recorded),
            ("certified", "Certified", expected.certified),
        ] {
            let plotted = try #require(series[key]?.attributes["data-total"].flatMap(Double.init))
            #expect(abs(plotted - picobarns / 1000) <= 5e-7, "\(key)")
            #expect(legend[key] == "\(name): \(String(format: "%.2f", picobarns / 1000)) fb⁻¹")
        }
    }

    @Test func integratedLuminosityAxisUsesInverseFemtobarns() throws {
        let (chart, _) = IntegratedLuminosity.chart(syntheticSeason(), scope: "pp, 2024, √s = 13.6 TeV")
        #expect(chart.title == "CMS integrated luminosity, pp, 2024, √s = 13.6 TeV")
        #expect(chart.unit == "fb⁻¹")
        let svg = try parseSVG(chart.svg())
        let texts = svg.all("text").map(\.text)
        #expect(texts.contains("Total integrated luminosity (fb⁻¹)"))
        #expect(texts.contains("Date (UTC)"))
        #expect(svg.attributes["data-unit"] == "fb⁻¹")
        // About 124 fb⁻¹ plus room for the legend: the axis ends on a nice number above the data.
        let yTicks = svg.all(having: "data-value").compactMap { Double($0.attributes["data-value"]!) }
        #expect(yTicks.first == 0)
        #expect(try #require(yTicks.last) > 124 && yTicks.last! <= 300)
        // A season is labelled by months.
        let xLabels = svg.all(having: "data-time").map(\.text)
        #expect(xLabels.allSatisfy { $0.hasSuffix(" 2024") })
    }

    @Test(arguments: [(999.99, "pb⁻¹", "999.99"), (1000, "fb⁻¹", "1.00"), (1234, "fb⁻¹", "1.23")])
    func unitSwitchesAtOneThousandInversePicobarns(total: Double, unit: String, shown: String) throws {
        let runs = [
            IntegratedLuminosity.Contribution(
                time: utc(2024, 6, 1, 10), delivered: total * 0.5, recorded: 10, certified: 5),
            IntegratedLuminosity.Contribution(
                time: utc(2024, 6, 2, 10), delivered: total * 0.5, recorded: 20, certified: 5),
        ]
        let (chart, totals) = IntegratedLuminosity.chart(runs, scope: "")
        #expect(chart.title == "CMS integrated luminosity")
        #expect(totals.delivered == total)
        #expect(chart.unit == unit)
        #expect(IntegratedLuminosity.Unit(forTotal: total).symbol == unit)
        let legend = try parseSVG(chart.svg()).all(having: "data-legend-for").map(\.text)
        #expect(legend.first == "Delivered: \(shown) \(unit)")
    }

    @Test func cumulativeLinesRiseInTimeOrderFromZero() throws {
        let (chart, _) = IntegratedLuminosity.chart(syntheticSeason(), scope: "pp")
        for line in chart.series {
            #expect(line.points.first?.value == 0)
            let sorted = line.points.sorted { $0.time < $1.time }
            #expect(zip(sorted, sorted.dropFirst()).allSatisfy { $0.value <= $1.value })
        }
        // On the canvas, higher values are smaller y: every vertical step of the delivered line goes up.
        let svg = try parseSVG(chart.svg())
        let delivered = try #require(
            svg.all(having: "data-series").first { $0.attributes["data-series"] == "delivered" })
        let heights = verticalTargets(try #require(delivered.all("path").first?.attributes["d"]))
        #expect(heights.count > 10)
        #expect(zip(heights, heights.dropFirst()).allSatisfy { $0 > $1 })
    }

    @Test func subtitleGivesTheDataTimeRangeInUTC() {
        let runs = [
            IntegratedLuminosity.Contribution(time: utc(2024, 10, 27, 6, 3), delivered: 1, recorded: 1, certified: 1),
            IntegratedLuminosity.Contribution(
                time: utc(2024, 4, 5, 8, 12, 59), delivered: 1, recorded: 1, certified: 1),
        ]
        let (chart, _) = IntegratedLuminosity.chart(runs, scope: "pp")
        #expect(chart.subtitle == "Data included from 2024-04-05 08:12 to 2024-10-27 06:03 UTC")
    }

    /// Real 2017 brilcalc per-lumisection luminosity, certified by the EOY2017 ReReco golden JSON.
    @Test func brilcalcLumisectionsAddUpToTheirCSVTotals() throws {
        let csv = try String(contentsOf: sharedData.appendingPathComponent("golden/lumi_small.csv"), encoding: .utf8)
        let goldenData = try Data(
            contentsOf: sharedData.appendingPathComponent(
                "golden/Cert_294927-306462_13TeV_EOY2017ReReco_Collisions17_JSON.txt"))
        let golden = try JSONDecoder().decode([String: [[Int]]].self, from: goldenData)

        var lumisections: [IntegratedLuminosity.Contribution] = []
        for line in csv.split(whereSeparator: \.isNewline) where !line.hasPrefix("#") {
            let fields = line.split(separator: ",").map(String.init)
            let run = String(fields[0].split(separator: ":")[0])
            let ls = try #require(Int(fields[1].split(separator: ":")[0]))
            let stamp = fields[2].split(whereSeparator: { "/ :".contains($0) }).compactMap { Int($0) }
            let time = utc(2000 + stamp[2], stamp[0], stamp[1], stamp[3], stamp[4], stamp[5])
            let delivered = try #require(Double(fields[5]))
            let recorded = try #require(Double(fields[6]))
            let isGolden = golden[run, default: []].contains { $0[0] <= ls && ls <= $0[1] }
            lumisections.append(
                .init(time: time, delivered: delivered, recorded: recorded, certified: isGolden ? recorded : 0))
        }
        #expect(lumisections.count == 998)

        let (chart, totals) = IntegratedLuminosity.chart(lumisections, scope: "pp, 2017, √s = 13 TeV")
        #expect(abs(totals.delivered - 145.083610) < 1e-5)
        #expect(abs(totals.recorded - 138.789558) < 1e-5)
        #expect(totals.certified > 0 && totals.certified <= totals.recorded)
        #expect(chart.unit == "pb⁻¹")
        #expect(chart.subtitle == "Data included from 2017-06-16 20:55 to 2017-06-17 06:59 UTC")

        let svg = try parseSVG(chart.svg())
        let plotted = svg.all(having: "data-series").map {
            ($0.attributes["data-series"]!, Double($0.attributes["data-total"]!)!)
        }
        #expect(plotted.map(\.0) == ["delivered", "recorded", "certified"])
        #expect(
            zip(plotted.map(\.1), [totals.delivered, totals.recorded, totals.certified]).allSatisfy {
                abs($0 - $1) <= 5e-7
            })
        // Ten hours of fills: hourly ticks, midnight labelled with its date.
        let xLabels = svg.all(having: "data-time").map(\.text)
        #expect(xLabels.contains("17 Jun"))
        #expect(svg.all("text").map(\.text).contains("Time (UTC)"))
    }
}
