import Foundation
import Plots
import Testing

/// Tick placement: nice numbers on value axes, UTC calendar boundaries on time axes.
@Suite struct AxisTicksTests {
    @Test(arguments: [
        (0.0, 123.4, 7), (0, 0.0372, 6), (0, 1, 5), (-3.2, 17, 8), (0, 98_765, 6), (0, 7.2e-5, 4), (412, 413, 3),
    ])
    func valueTicksAreNiceAndCoverTheRange(lower: Double, upper: Double, maxTicks: Int) throws {
        let scale = AxisTicks.values(from: lower, to: upper, maxTicks: maxTicks)
        let values = scale.ticks.map(\.value)
        #expect(values.count >= 2 && values.count <= maxTicks)
        let step = values[1] - values[0]
        #expect(zip(values, values.dropFirst()).allSatisfy { abs(($1 - $0) - step) <= step * 1e-9 })
        let mantissa = step / pow(10, floor(log10(step)))
        #expect([1.0, 2, 5].contains { abs(mantissa - $0) < 1e-9 }, "step \(step)")
        #expect(values[0] <= lower && values[0] > lower - step)
        #expect(values.last! >= upper && values.last! < upper + step)
        #expect(scale.lower == values[0] && scale.upper == values.last!)
        for tick in scale.ticks {
            #expect(abs(try #require(Double(tick.label)) - tick.value) <= step * 1e-6, "\(tick.label)")
        }
    }

    @Test func valueTickLabelsCarryTheStepsDecimals() {
        #expect(
            AxisTicks.values(from: 0, to: 0.9, maxTicks: 6).ticks.map(\.label) == [
                "0.0", "0.2", "0.4", "0.6", "0.8", "1.0",
            ])
        #expect(
            AxisTicks.values(from: 0, to: 140, maxTicks: 8).ticks.map(\.label) == [
                "0", "20", "40", "60", "80", "100", "120", "140",
            ])
    }

    @Test func emptyValueRangeBecomesAUnitRange() {
        let scale = AxisTicks.values(from: 0, to: 0, maxTicks: 6)
        #expect(scale.lower == 0 && scale.upper == 1)
        #expect(AxisTicks.values(from: .nan, to: 3, maxTicks: 6).upper == 1)
    }

    @Test func timeTicksLandOnUTCMidnightForAMultiDaySpan() {
        let start = utc(2024, 6, 3, 7, 13)
        let end = utc(2024, 6, 14, 18, 40)
        let ticks = AxisTicks.times(from: start, to: end, maxTicks: 8)
        #expect(ticks.count >= 4 && ticks.count <= 8)
        for tick in ticks {
            #expect(tick.value.truncatingRemainder(dividingBy: 86_400) == 0)
            #expect(tick.value >= start && tick.value <= end)
            #expect(tick.label == formatUTC(tick.value, "d MMM"))
        }
        #expect(ticks.first?.label == "4 Jun")
    }

    @Test func weeklyTicksFallOnMondays() {
        let ticks = AxisTicks.times(from: utc(2024, 6, 1), to: utc(2024, 7, 21), maxTicks: 5)
        #expect(ticks.count >= 3 && ticks.count <= 5)
        #expect(ticks.allSatisfy { formatUTC($0.value, "EEEE HH:mm:ss") == "Monday 00:00:00" })
    }

    @Test func timeTicksUseHoursForSpansUnderTwoDays() {
        let start = utc(2017, 6, 16, 20, 55, 44)
        let end = utc(2017, 6, 17, 6, 59)
        let ticks = AxisTicks.times(from: start, to: end, maxTicks: 6)
        #expect(ticks.map(\.label) == ["22:00", "17 Jun", "02:00", "04:00", "06:00"])
        #expect(ticks.allSatisfy { $0.value.truncatingRemainder(dividingBy: 3600) == 0 })
    }

    @Test func shortSpansGetMinuteTicks() {
        let ticks = AxisTicks.times(from: utc(2024, 6, 1, 14, 7), to: utc(2024, 6, 1, 15, 7), maxTicks: 7)
        #expect(ticks.map(\.label) == ["14:10", "14:20", "14:30", "14:40", "14:50", "15:00"])
    }

    @Test func seasonTicksAreMonthStarts() {
        let ticks = AxisTicks.times(from: utc(2024, 4, 5, 8, 12), to: utc(2024, 10, 27), maxTicks: 5)
        #expect(ticks.count >= 3 && ticks.count <= 5)
        for tick in ticks {
            #expect(formatUTC(tick.value, "d HH:mm:ss") == "1 00:00:00")
            #expect(tick.label == formatUTC(tick.value, "MMM yyyy"))
        }
    }

    @Test func multiYearTicksAreLabelledByYear() {
        let ticks = AxisTicks.times(from: utc(2010, 3, 30), to: utc(2025, 11, 1), maxTicks: 6)
        #expect(ticks.map(\.label) == ["2015", "2020", "2025"])
        #expect(
            ticks.allSatisfy {
                formatUTC($0.value, "MM-dd HH:mm") == "01-01 00:00" && $0.label == formatUTC($0.value, "yyyy")
            })
    }
}
