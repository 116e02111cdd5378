import Plots
import Testing

/// Number formatting and XML escaping shared by all markup.
@Suite struct FormattingTests {
    @Test(arguments: [
        (1234.5678, 2, "1234.57"), (-0.004, 2, "0.00"), (2.5, 0, "3"), (-2.5, 0, "-3"), (7, 3, "7.000"),
        (0.001, 3, "0.001"), (123_456_789.125, 2, "123456789.13"), (0.5, 1, "0.5"),
    ])
    func fixedDecimalsRoundHalfAwayAndNeverPrintNegativeZero(value: Double, decimals: Int, text: String) {
        #expect(fixedDecimal(value, decimals: decimals) == text)
    }

    @Test func plainDecimalsDropTrailingZeros() {
        #expect(plainDecimal(12.5) == "12.5")
        #expect(plainDecimal(3) == "3")
        #expect(plainDecimal(0.000_000_4) == "0")
        #expect(plainDecimal(124.123_456_7) == "124.123457")
    }

    @Test func xmlEscapingCoversTheFiveSpecialCharactersAndDropsControls() {
        #expect(xmlEscaped("a&b<c>\"d'e") == "a&amp;b&lt;c&gt;&quot;d&apos;e")
        #expect(xmlEscaped("fb⁻¹\u{7}\tok") == "fb⁻¹\tok")
    }
}
