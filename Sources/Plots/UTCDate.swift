/// A proleptic Gregorian calendar date and time of day in UTC, without Foundation or locale.
struct UTCDate: Hashable {
    /// The year, e.g. 2024.
    let year: Int
    /// The month, 1...12.
    let month: Int
    /// The day of the month, 1...31.
    let day: Int
    /// Seconds since midnight, 0..<86400.
    let secondOfDay: Int

    /// The English month abbreviations used in labels.
    static let monthNames = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// The date and time of `seconds` since 1970-01-01 00:00 UTC, rounded down to the second.
    init(seconds: Double) {
        let whole = Int(seconds.rounded(.down))
        let days = floorDivide(whole, 86_400)
        secondOfDay = whole - days * 86_400
        (year, month, day) = UTCDate.civil(fromDays: days)
    }

    /// Seconds since the epoch of midnight UTC at the start of the given day.
    static func seconds(year: Int, month: Int, day: Int) -> Double {
        Double(days(year: year, month: month, day: day) * 86_400)
    }

    /// Days since 1970-01-01 of a civil date (the era-based algorithm: 400-year eras starting in March).
    static func days(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = floorDivide(y, 400)
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * ((month + 9) % 12) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The civil date of a day number since 1970-01-01 (the inverse of ``days(year:month:day:)``).
    static func civil(fromDays days: Int) -> (year: Int, month: Int, day: Int) {
        let shifted = days + 719_468
        let era = floorDivide(shifted, 146_097)
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let marchMonth = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * marchMonth + 2) / 5 + 1
        let month = marchMonth < 10 ? marchMonth + 3 : marchMonth - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// "14:05".
    var timeLabel: String {
        twoDigits(secondOfDay / 3600) + ":" + twoDigits(secondOfDay % 3600 / 60)
    }

    /// "1 Jun".
    var dayLabel: String {
        "\(day) \(UTCDate.monthNames[month - 1])"
    }

    /// "Jun 2024".
    var monthLabel: String {
        "\(UTCDate.monthNames[month - 1]) \(year)"
    }

    /// "2024-06-01 14:05".
    var isoMinuteLabel: String {
        "\(year)-\(twoDigits(month))-\(twoDigits(day)) \(timeLabel)"
    }
}

/// Integer division rounding toward negative infinity.
func floorDivide(_ a: Int, _ b: Int) -> Int {
    let quotient = a / b
    return (a % b != 0 && (a < 0) != (b < 0)) ? quotient - 1 : quotient
}

/// A number 0...99 with a leading zero.
private func twoDigits(_ n: Int) -> String {
    n < 10 ? "0\(n)" : "\(n)"
}
