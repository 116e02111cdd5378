/// A labelled position on an axis: a value (or a time in seconds since the epoch) and its text.
package struct AxisTick: Sendable, Hashable {
    /// The position in axis units.
    package let value: Double
    /// The label drawn at the tick.
    package let label: String
}

/// The ticks of an axis and the range they span.
package struct AxisScale: Sendable, Hashable {
    /// The lower end of the axis (the first tick for a value axis).
    package let lower: Double
    /// The upper end of the axis (the last tick for a value axis).
    package let upper: Double
    /// The ticks in increasing order.
    package let ticks: [AxisTick]
}

/// Tick placement for value axes ("nice" numbers) and time axes (UTC calendar boundaries).
package enum AxisTicks {
    /// The scale with the fewest "nice" ticks (multiples of 1, 2 or 5 × 10^k) that covers `lower...upper`
    /// with at most `maxTicks` ticks (at least 2).
    ///
    /// The axis is widened to the ticks just outside the range. An empty range (`upper <= lower`) becomes
    /// `lower...lower + 1`; non-finite ends become 0...1.
    package static func values(from lower: Double, to upper: Double, maxTicks: Int) -> AxisScale {
        var (lower, upper) = lower.isFinite && upper.isFinite ? (lower, upper) : (0, 1)
        if upper <= lower { upper = lower + 1 }
        let maxTicks = max(maxTicks, 2)
        let rough = (upper - lower) / Double(maxTicks - 1)
        var exponent = 0
        while powerOfTen(exponent) > rough && exponent > -300 { exponent -= 1 }
        while powerOfTen(exponent + 1) <= rough && exponent < 300 { exponent += 1 }
        for candidate in exponent...exponent + 2 {
            for mantissa in [1, 2, 5] {
                let step = Double(mantissa) * powerOfTen(candidate)
                let first = (lower / step + 1e-9).rounded(.down)
                let last = (upper / step - 1e-9).rounded(.up)
                guard last - first + 1 <= Double(maxTicks), abs(last) < 1e15, abs(first) < 1e15 else { continue }
                let decimals = max(0, -candidate)
                let ticks = (Int64(first)...Int64(last)).map { index in
                    let multiple = Double(index * Int64(mantissa))
                    let value = candidate >= 0 ? multiple * powerOfTen(candidate) : multiple / powerOfTen(-candidate)
                    return AxisTick(value: value, label: fixedDecimal(value, decimals: decimals))
                }
                return AxisScale(lower: ticks[0].value, upper: ticks[ticks.count - 1].value, ticks: ticks)
            }
        }
        return AxisScale(lower: lower, upper: upper, ticks: [])  // unreachable for finite input
    }

    /// At most `maxTicks` ticks within `start...end` (seconds since the epoch) on UTC calendar boundaries.
    ///
    /// The step is the smallest one that fits, from a unit chosen by the span: hours (and parts of an hour) under
    /// two days, days (1, 2, 7, 14; weeks start on Monday) under 60 days, months (1, 2, 3, 6, then years)
    /// otherwise. Labels read "14:00" (midnight reads "1 Jun"), "1 Jun", "Jun 2024", or "2024" for yearly steps.
    package static func times(from start: Double, to end: Double, maxTicks: Int) -> [AxisTick] {
        guard start.isFinite, end.isFinite, end >= start else { return [] }
        let span = end - start
        let candidates: [TimeStep] =
            if span < 2 * 86_400 {
                [10, 15, 30, 60, 120, 180, 360, 720].map { .minutes($0) }
            } else if span < 60 * 86_400 {
                [.days(1), .days(2), .days(7), .days(14)]
            } else {
                [1, 2, 3, 6, 12, 24, 60, 120, 240, 600, 1200].map { .months($0) }
            }
        for step in candidates {
            if let ticks = step.ticks(from: start, to: end, limit: max(maxTicks, 1)) { return ticks }
        }
        return []
    }
}

/// A calendar step between time ticks.
private enum TimeStep {
    /// Every n minutes from midnight UTC (n divides a day).
    case minutes(Int)
    /// Every n days; n of 7 or 14 starts on Mondays.
    case days(Int)
    /// Every n months from January (of years divisible by n / 12 when n ≥ 12).
    case months(Int)

    /// The ticks within `start...end`, or nil when there would be more than `limit`.
    func ticks(from start: Double, to end: Double, limit: Int) -> [AxisTick]? {
        var ticks: [AxisTick] = []
        func add(_ time: Double, _ label: String) -> Bool {
            ticks.append(AxisTick(value: time, label: label))
            return ticks.count <= limit
        }
        switch self {
        case .minutes(let n):
            let step = Double(n * 60)
            var time = (start / step).rounded(.up) * step
            while time <= end {
                let date = UTCDate(seconds: time)
                guard add(time, date.secondOfDay == 0 ? date.dayLabel : date.timeLabel) else { return nil }
                time += step
            }
        case .days(let n):
            let anchor = n % 7 == 0 ? 4 : 0  // 1970-01-05 was a Monday
            var day = Int((start / 86_400).rounded(.up))
            day += (n - ((day - anchor) % n + n) % n) % n
            while Double(day) * 86_400 <= end {
                let time = Double(day) * 86_400
                guard add(time, UTCDate(seconds: time).dayLabel) else { return nil }
                day += n
            }
        case .months(let n):
            let first = UTCDate(seconds: start)
            var month = first.year * 12 + first.month - 1
            if UTCDate.seconds(year: first.year, month: first.month, day: 1) < start { month += 1 }
            month += (n - month % n) % n
            while true {
                let date = (year: floorDivide(month, 12), month: month - floorDivide(month, 12) * 12 + 1)
                let time = UTCDate.seconds(year: date.year, month: date.month, day: 1)
                guard time <= end else { break }
                let label = n >= 12 ? "\(date.year)" : "\(UTCDate.monthNames[date.month - 1]) \(date.year)"
                guard add(time, label) else { return nil }
                month += n
            }
        }
        return ticks
    }
}
