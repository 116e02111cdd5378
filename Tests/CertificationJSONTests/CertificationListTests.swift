import CertificationJSON
import Foundation
import Testing

/// The shared data folder beside the project checkout.
let sharedData: URL = {
    var dir = URL(fileURLWithPath: #filePath)
    while dir.path != "/" {
        dir.deleteLastPathComponent()
        if FileManager.default.fileExists(atPath: dir.appendingPathComponent("Package.swift").path) { break }
    }
    return dir.deletingLastPathComponent().appendingPathComponent("shared/data")
}()

@Suite struct CertificationListTests {
    @Test func canonicalBytesEqualTheRunRegistryGeneratedFile() throws {
        let url = sharedData.appendingPathComponent("runregistry/generated_json2018.json")
        let bytes = Array(try Data(contentsOf: url))
        let list = try CertificationList.parse(bytes, source: url.lastPathComponent)
        #expect(list.canonicalBytes == bytes)
    }

    @Test func everyRealFileParsesAndMatchesAnIndependentCount() throws {
        let folder = sharedData.appendingPathComponent("golden")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path)
            .filter { $0.hasSuffix(".json") || ($0.hasSuffix(".txt")) }
        #expect(files.count >= 25)
        for name in files {
            let data = try Data(contentsOf: folder.appendingPathComponent(name))
            let list = try CertificationList.parse(Array(data), source: name)
            // Independent count with Foundation's parser.
            let object = try JSONSerialization.jsonObject(with: data) as! [String: [[Int]]]
            var expected = Set<UInt64>()
            for (run, ranges) in object {
                for r in ranges { for ls in r[0]...r[1] { expected.insert(UInt64(run)! << 32 | UInt64(ls)) } }
            }
            #expect(list.lumisectionCount == expected.count, "\(name)")
            #expect(Set(list.runs.keys.map(String.init)) == Set(object.keys), "\(name)")
            // Canonical output round-trips.
            #expect(try CertificationList.parse(list.canonicalBytes, source: name) == list)
        }
    }

    @Test func unsortedAndSplitRangesAreNormalised() throws {
        let list = try CertificationList.parse(Array(#"{"5":[[10,12],[1,3],[4,6],[20,20],[11,15]],"2":[[7,7]]}"#.utf8), source: "t")
        #expect(list.canonicalText == #"{"2":[[7,7]],"5":[[1,6],[10,15],[20,20]]}"#)
        #expect(list.contains(run: 5, lumisection: 14))
        #expect(!list.contains(run: 5, lumisection: 16))
    }

    @Test func malformedInputNamesTheRunAndRange() {
        let cases: [(String, String)] = [
            (#"{"355100":[[5,1]]}"#, "run 355100, range 1"),
            (#"{"355100":[[0,3]]}"#, "run 355100, range 1"),
            (#"{"355100":[[1,2],[3]]}"#, "run 355100, range 2"),
            (#"{"355100":[[1.5,2]]}"#, "run 355100, range 1"),
            (#"{"abc":[[1,2]]}"#, "key \"abc\""),
            (#"{"355100":{"a":1}}"#, "run 355100"),
            (#"[[1,2]]"#, "top level"),
            (#"{"355100":[[1,2]"#, "line 1"),
        ]
        for (text, location) in cases {
            let error = #expect(throws: CertificationJSONError.self) {
                try CertificationList.parse(Array(text.utf8), source: "bad.json")
            }
            #expect(error?.location.hasPrefix(location) == true, "\(text): \(String(describing: error))")
            #expect(error?.source == "bad.json")
        }
    }
}
