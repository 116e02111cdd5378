import Certification
import ProjectionViews
import Testing

struct ViewKeyTests {
    @Test func keysParseBackToTheirEntities() {
        let k = DatasetKey(run: 355_100, name: promptName)
        #expect(ViewKeys.parse(ViewKeys.run(355_100)) == .run(355_100))
        #expect(ViewKeys.parse(ViewKeys.luminosity(run: 7)) == .run(7))
        #expect(ViewKeys.parse(ViewKeys.dataset(k)) == .dataset(k))
        #expect(ViewKeys.parse(ViewKeys.summary(k)) == .dataset(k))
        #expect(ViewKeys.parse(ViewKeys.flags(k, component: "dt-dt")) == .flags(k, component: "dt-dt"))
        #expect(ViewKeys.parse(ViewKeys.oms(run: 355_100, bit: "cms_active")) == .oms(run: 355_100, bit: "cms_active"))
        #expect(ViewKeys.parse(ViewKeys.pass("prompt/Collisions2024A", workspace: "tracker")) == .pass(passKey: "prompt/Collisions2024A", workspace: "tracker"))
        #expect(ViewKeys.pass("prompt/Collisions2024A", workspace: "tracker").key == Array("prompt/Collisions2024A".utf8) + [0] + Array("tracker".utf8))
    }

    @Test func theNewRowKeysParseBackAndShareTheirReadersPrefixes() {
        let k = DatasetKey(run: 355_100, name: promptName)
        let item = ViewKeys.passItem("prompt/Collisions2024A", workspace: "dt", dataset: k)
        #expect(ViewKeys.parse(item) == .passItem(passKey: "prompt/Collisions2024A", workspace: "dt", dataset: k))
        #expect(item.key.starts(with: ViewKeys.passItemsPrefix("prompt/Collisions2024A", workspace: "dt").key))
        #expect(!item.key.starts(with: ViewKeys.passItemsPrefix("prompt/Collisions2024A", workspace: "d").key), "the prefix ends at the workspace")
        #expect(ViewKeys.parse(ViewKeys.componentSummary(k, component: "dt-dt")) == .component(k, component: "dt-dt"))
        #expect(ViewKeys.parse(ViewKeys.certification(k, workspace: "global")) == .group(k, workspace: "global"))
        #expect(ViewKeys.componentSummary(k, component: "dt-dt").key.starts(with: ViewKeys.componentSummariesPrefix(k).key))
        #expect(ViewKeys.flags(k, component: "dt-dt").key.starts(with: ViewKeys.flagsPrefix(k).key))
        #expect(ViewKeys.parse(ViewKey(view: .passItems, key: Array("prompt".utf8) + [0] + Array("dt".utf8) + [0, 0, 0])) == nil)
    }

    @Test func datasetKeysStartWithTheBigEndianRunSoRowsSortByRun() {
        let a = ViewKeys.dataset(DatasetKey(run: 255, name: "online")).key
        let b = ViewKeys.dataset(DatasetKey(run: 256, name: "online")).key
        #expect(Array(a.prefix(4)) == [0, 0, 0, 255])
        #expect(a.lexicographicallyPrecedes(b))
        #expect(ViewKeys.flags(DatasetKey(run: 1, name: "online"), component: "dt-dt").key == [0, 0, 0, 1] + Array("online".utf8) + [0] + Array("dt-dt".utf8))
    }

    @Test func malformedKeysDoNotParse() {
        #expect(ViewKeys.parse(ViewKey(view: .runs, key: [1, 2, 3])) == nil)
        #expect(ViewKeys.parse(ViewKey(view: .flags, key: [0, 0, 0, 1] + Array("online".utf8))) == nil)
        #expect(ViewKeys.parse(ViewKey(view: .passes, key: Array("prompt".utf8))) == nil)
        #expect(ViewKeys.parse(ViewKey(view: .datasets, key: [0, 0, 0, 1, 0xFF])) == nil)
    }
}
