import Certification
import Testing

@Suite struct StreamNameTests {
    @Test func streamIDsRoundTripThroughTheParser() throws {
        let names: [StreamName] = [
            .run(355100), .dataset(run: 355100, name: "online"),
            .dataset(run: 355100, name: "/PromptReco/Collisions2022C/DQM"), .config(.classifiers),
            .config(.datasetsAccepted), .config(.permissions), .config(.components), .cycle("ul2018-cycle-3"),
        ]
        for name in names {
            #expect(try StreamName(parsing: name.id) == name)
        }
        #expect(StreamName.dataset(run: 355100, name: "/PromptReco/Collisions2022C/DQM").id
            == "dataset/355100//PromptReco/Collisions2022C/DQM")
        #expect(StreamName.dataset(run: 355100, name: "online").id == "dataset/355100/online")
        #expect(StreamName.config(.datasetsAccepted).id == "config/datasets-accepted")
    }

    @Test func malformedStreamIDsAreRejected() {
        for id in ["run/", "run/0355100", "run/abc", "dataset/355100", "dataset/x/online", "dataset/355100/",
                   "config/unknown", "cycle/", "cycle/a b", "runs/1", "nothing"] {
            #expect(rejection { try StreamName(parsing: id) }?.code == .invalidArgument, "\(id)")
        }
    }
}

@Suite struct ProcessingPassTests {
    @Test func realisticNamesGiveTheirKindEraAndKey() throws {
        let cases: [(String, ProcessingPass.Kind, String?, String?, String)] = [
            ("online", .online, nil, nil, "online"),
            ("/Express/Collisions2024/DQM", .express, "Collisions2024", nil, "express/Collisions2024"),
            ("/Express/Collisions2018/DQM", .express, "Collisions2018", nil, "express/Collisions2018"),
            ("/Express/Cosmics18/DQM", .express, "Cosmics18", nil, "express/Cosmics18"),
            ("/PromptReco/Collisions2024A/DQM", .prompt, "Collisions2024A", nil, "prompt/Collisions2024A"),
            ("/PromptReco/Collisions2022C/DQM", .prompt, "Collisions2022C", nil, "prompt/Collisions2022C"),
            ("/PromptReco/HICosmics18A/DQM", .prompt, "HICosmics18A", nil, "prompt/HICosmics18A"),
            ("/ReReco/Run2024A-v1/DQM", .rereco, "Run2024A", "v1", "rereco/Run2024A-v1"),
            ("/ReReco/Run2024A_UL-v2/DQM", .rereco, "Run2024A_UL", "v2", "rereco/Run2024A_UL-v2"),
            ("/ReReco/Run2018A_UL2018/DQM", .rereco, "Run2018A_UL2018", nil, "rereco/Run2018A_UL2018"),
            ("/ReReco/Run2016B-ver2_HIPM_UL2016-v1/DQM", .rereco, "Run2016B-ver2_HIPM_UL2016", "v1",
             "rereco/Run2016B-ver2_HIPM_UL2016-v1"),
        ]
        for (name, kind, era, version, key) in cases {
            let pass = try ProcessingPass(datasetName: name)
            #expect(pass.kind == kind, "\(name)")
            #expect(pass.era == era, "\(name)")
            #expect(pass.version == version, "\(name)")
            #expect(pass.key == key, "\(name)")
            #expect(ProcessingPass(key: key) == pass, "\(key)")
        }
    }

    @Test func namesThatFitNoPassAreRejectedWithTheExpectedShapes() {
        for name in ["", "/PromptReco/Collisions2018A", "/ZeroBias/Run2018A-PromptReco-v1/DQMIO",
                     "/Cosmics/HIRun2018A-PromptReco-v1/DQM", "/PromptReco//DQM", "/PromptReco/Coll 2018/DQM",
                     "PromptReco/Collisions2018A/DQM", "/PromptReco/Collisions2018A/DQMIO"] {
            let error = rejection { try ProcessingPass(datasetName: name) }
            #expect(error?.code == .invalidArgument, "\(name)")
            #expect(error?.message.contains("/PromptReco/<era>/DQM") == true)
        }
        #expect(ProcessingPass(key: "prompt/") == nil)
        #expect(ProcessingPass(key: "other/x") == nil)
    }

    @Test func passesSortOnlineExpressPromptReRecoThenByEraAndVersion() throws {
        let names = ["/ReReco/Run2024A-v10/DQM", "/PromptReco/Collisions2024B/DQM", "online",
                     "/ReReco/Run2024A-v2/DQM", "/Express/Collisions2024/DQM", "/PromptReco/Collisions2024A/DQM"]
        var passes: [ProcessingPass] = []
        for n in names { passes.append(try ProcessingPass(datasetName: n)) }
        #expect(passes.sorted().map(\.key) == [
            "online", "express/Collisions2024", "prompt/Collisions2024A", "prompt/Collisions2024B",
            "rereco/Run2024A-v2", "rereco/Run2024A-v10",
        ])
        #expect(Set(passes).count == 6)
    }
}

@Suite struct CatalogueTests {
    @Test func theCMSDefaultCatalogueHasTheSixteenCertifiableOnlineColumns() {
        let online = ComponentCatalogue.cmsDefault.certifiableOnlineComponents
        #expect(online.count == 16)
        #expect(online.contains("tracker-pixel"))
        #expect(online.contains("l1t-l1tmu"))
        #expect(!online.contains("gem-gem"))
        #expect(ComponentCatalogue.cmsDefault.certifiableOfflineComponents.contains("dc-lowlumi"))
        #expect(ComponentCatalogue.cmsDefault.offlineWorkspaceNames.contains("csc"))
        #expect(ComponentCatalogue.cmsDefault.offlineComponents.contains("ctpps-time_global"))
    }

    @Test func componentKeysAreOpenEndedWorkspaceColumnStrings() throws {
        try ComponentKey.check("tracker-track_private")
        try ComponentKey.check("hcal-hoO_ls")
        #expect(ComponentKey.workspace(of: "tracker-track_private") == "tracker")
        for bad in ["dt", "-dt", "dt-", "d t-dt", ""] {
            #expect(rejection { try ComponentKey.check(bad) }?.code == .invalidArgument, "\(bad)")
        }
    }
}
