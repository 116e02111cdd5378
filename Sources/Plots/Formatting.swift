/// Escapes text for XML content and attribute values, and drops characters XML 1.0 does not allow.
package func xmlEscaped(_ text: String) -> String {
    var out = ""
    out.reserveCapacity(text.utf8.count)
    for scalar in text.unicodeScalars {
        switch scalar {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&quot;"
        case "'": out += "&apos;"
        case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
        default:
            if scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF { continue }
            out.unicodeScalars.append(scalar)
        }
    }
    return out
}

/// Formats a number with exactly `decimals` decimals (0...9), rounding half away from zero, in any locale.
///
/// Never prints "-0"; magnitudes too large for exact integer rounding fall back to Swift's shortest form.
package func fixedDecimal(_ value: Double, decimals: Int) -> String {
    let decimals = min(max(decimals, 0), 9)
    guard value.isFinite else { return "0" }
    let scaled = (abs(value) * powerOfTen(decimals)).rounded()
    guard scaled < 9.0e15 else { return "\(value)" }
    var digits = String(Int64(scaled))
    if decimals > 0 {
        if digits.count <= decimals { digits = String(repeating: "0", count: decimals + 1 - digits.count) + digits }
        digits.insert(".", at: digits.index(digits.endIndex, offsetBy: -decimals))
    }
    return value < 0 && scaled != 0 ? "-" + digits : digits
}

/// Formats a number as a plain decimal with at most six decimals and no trailing zeros, e.g. "12.5" or "3".
package func plainDecimal(_ value: Double) -> String {
    var text = fixedDecimal(value, decimals: 6)
    guard text.contains("."), !text.contains("e") else { return text }
    while text.hasSuffix("0") { text.removeLast() }
    if text.hasSuffix(".") { text.removeLast() }
    return text
}

/// 10 to the power `exponent`, as the nearest double (exact up to 10^22; negative powers by division).
func powerOfTen(_ exponent: Int) -> Double {
    var result = 1.0
    for _ in 0..<min(abs(exponent), 400) { result *= 10 }
    return exponent >= 0 ? result : 1 / result
}
