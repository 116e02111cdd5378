import Rules
import RunRegistryQuery
import Testing

/// SQL LIKE matching: wildcards, escapes, case, and characters that are special only in regexes.
struct LikePatternTests {
    private func like(_ pattern: String, _ text: String, caseInsensitive: Bool = false) -> Bool {
        guard let compiled = LikePattern(pattern, caseInsensitive: caseInsensitive) else {
            Issue.record("pattern \(pattern) did not compile")
            return false
        }
        return compiled.matches(text)
    }

    @Test func percentMatchesAnyRunIncludingNone() {
        #expect(like("abc%", "abc"))
        #expect(like("%abc", "xxabc"))
        #expect(like("a%c", "abbbbc"))
        #expect(like("%", ""))
        #expect(!like("a%c", "abcd"))
    }

    @Test func underscoreMatchesExactlyOneCharacter() {
        #expect(like("a_c", "abc"))
        #expect(!like("a_c", "ac"))
        #expect(!like("a_c", "abbc"))
        #expect(like("_", "é"))
        #expect(!like("_", ""))
    }

    @Test func wholeTextMustMatch() {
        #expect(!like("abc", "abcd"))
        #expect(!like("bc", "abc"))
        #expect(like("abc", "abc"))
    }

    @Test func backtrackingFindsLaterOccurrences() {
        #expect(like("%a%b%c", "xaxbxbxc"))
        #expect(like("%ab", "aab"))
        #expect(!like("a%a", "a"))
        #expect(like("%/PromptReco/Cosmics18CRUZET%", "/PromptReco/Cosmics18CRUZET/DQM"))
    }

    @Test func regexMetacharactersAreLiteral() {
        #expect(!like("a.c", "abc"))
        #expect(like("a.c", "a.c"))
        #expect(!like(".*", "anything"))
        #expect(like("(x)[y]*+?^$|{1}", "(x)[y]*+?^$|{1}"))
        #expect(!like("[ab]", "a"))
        #expect(like("/cdaq/physics/v1.0%", "/cdaq/physics/v1.0/x"))
    }

    @Test func backslashEscapesWildcards() {
        #expect(like(#"100\%"#, "100%"))
        #expect(!like(#"100\%"#, "1000"))
        #expect(like(#"a\_b"#, "a_b"))
        #expect(!like(#"a\_b"#, "axb"))
        #expect(like(#"a\\b"#, #"a\b"#))
        #expect(LikePattern(#"abc\"#, caseInsensitive: true) == nil)
    }

    @Test func caseSensitivityIsAnOption() {
        #expect(!like("%COMMISSIONING%", "/cdaq/Commissioning2018"))
        #expect(like("%COMMISSIONING%", "/cdaq/Commissioning2018", caseInsensitive: true))
        #expect(like("É%", "école", caseInsensitive: true))
        #expect(!like("É%", "école"))
    }

    @Test func upperCaseLikeIsAlsoCaseInsensitive() throws {
        #expect(
            try Fixtures.selectedRuns(#"{"oms_attributes.hlt_key": {"LIKE": "%COMMISSIONING2018%"}}"#) == [
                309500, 309700,
            ])
    }

    @Test func lowerCaseNotLikeIsCaseInsensitive() throws {
        // Both commissioning runs are excluded whatever their case; 323434 (null key) is excluded as NULL.
        #expect(
            try Fixtures.selectedRuns(#"{"oms_attributes.hlt_key": {"notlike": "%COMMISSIONING%"}}"#) == [
                310500, 327743,
            ])
    }

    @Test func upperCaseNotLikeIsCaseSensitive() throws {
        // Only the run spelled "Commissioning" is excluded.
        #expect(
            try Fixtures.selectedRuns(#"{"oms_attributes.hlt_key": {"NOTLIKE": "%Commissioning%"}}"#) == [
                309700, 310500, 327743,
            ])
    }

    @Test func likeOnNumbersUsesTheirText() throws {
        // 323434's 3.0 reads as "3" (numbers keep no trailing zeros), so only the 3.8 runs match.
        #expect(try Fixtures.selectedRuns(#"{"oms_attributes.b_field": {"like": "3.%"}}"#) == [309500, 327743])
    }

    @Test func likeOnTextColumn() throws {
        #expect(
            try Fixtures.selectedDatasets(#"{"name": {"like": "/express/%"}}"#) == [
                "309600 /Express/Cosmics18CRUZET/DQM"
            ])
        #expect(try Fixtures.selectedDatasets(#"{"name": {"NOTLIKE": "%DQM"}}"#) == ["327743 online", "309650 online"])
    }
}
