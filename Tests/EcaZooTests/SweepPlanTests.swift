import EcaZoo
import Foundation
import XCTest

/// Expansion of sweep files: variants × grid, stable names and order, shards, groups.
final class SweepPlanTests: XCTestCase {
    private func plan(_ text: String, extra: [String] = []) throws -> SweepPlan {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sweep-plan-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("s.json")
        try Data(text.utf8).write(to: file)
        return try SweepPlan.load(file: file.path, extraOverrides: extra)
    }

    private let sweep = """
    {"base": "homog.json", "set": {"train.epochs": 5},
     "grid": {"data.eta": [0.3, 1.0], "train.seed": [0, 1, 2]},
     "variants": {"eca": {"model.aggregator.type": "eca"},
                  "eca-no-sra": {"model.aggregator.type": "eca", "model.aggregator.sra": false},
                  "softmax": {"model.aggregator.type": "softmax"}}}
    """

    func testVariantsTimesGridInWrittenOrder() throws {
        let p = try plan(sweep)
        XCTAssertEqual(p.members.count, 3 * 2 * 3)
        XCTAssertEqual(p.members.map(\.index), Array(0..<18))
        XCTAssertEqual(p.members.prefix(4).map(\.name), [
            "eca__data.eta=0.3__train.seed=0", "eca__data.eta=0.3__train.seed=1",
            "eca__data.eta=0.3__train.seed=2", "eca__data.eta=1__train.seed=0",
        ])
        XCTAssertEqual(p.members[7].name, "eca-no-sra__data.eta=0.3__train.seed=1")
        XCTAssertEqual(p.members[7].overrides, [
            "train.epochs=5", "model.aggregator.type=eca", "model.aggregator.sra=false", "data.eta=0.3", "train.seed=1",
        ])
        XCTAssertTrue(p.base.hasSuffix("/homog.json"))
        XCTAssertEqual(try plan(sweep).members, p.members, "expansion is deterministic")
    }

    func testCommandLineOverridesComeLast() throws {
        let p = try plan(sweep, extra: ["train.epochs=1"])
        XCTAssertEqual(p.members[0].overrides.last, "train.epochs=1")
    }

    func testShardsPartitionThePlan() throws {
        let p = try plan(sweep)
        let shards = (1...4).map { p.shard($0, of: 4) }
        XCTAssertEqual(shards.flatMap { $0 }.map(\.index).sorted(), Array(0..<18))
        XCTAssertEqual(shards[1].map(\.index), [1, 5, 9, 13, 17])
    }

    func testGroupNameDropsTheSeed() {
        XCTAssertEqual(SweepPlan.groupName(of: "eca-no-sra__data.eta=0.3__train.seed=1"), "eca-no-sra__data.eta=0.3")
        XCTAssertEqual(SweepPlan.groupName(of: "eca__train.seed=12"), "eca")
        XCTAssertEqual(SweepPlan.groupName(of: "train.seed=0"), "all")
    }

    func testNamesAreFilesystemSafe() throws {
        let p = try plan(#"{"base": "b.json", "grid": {"model.encoder.widths": [[16, 16]], "data.path": ["a b/c.csv"]}}"#)
        XCTAssertEqual(p.members.map(\.name), ["model.encoder.widths=-16-16-__data.path=a-b-c.csv"])
        XCTAssertEqual(p.members[0].overrides, ["model.encoder.widths=[16,16]", "data.path=a b/c.csv"])
    }

    func testMalformedSweepsNameFileAndPath() throws {
        func message(_ text: String) -> String {
            do { _ = try plan(text); return "no error" } catch { return "\(error)".components(separatedBy: "s.json: ").last ?? "" }
        }
        XCTAssertEqual(message(#"{"base": "b.json", "variant": {}}"#), #"variant: unknown key; did you mean "variants"?"#)
        XCTAssertEqual(message(#"{"grid": {}}"#), #"missing required key "base""#)
        XCTAssertEqual(message(#"{"base": "b.json", "grid": {"train.seed": []}}"#), "grid.train.seed: expected a non-empty array of values, got empty array")
        XCTAssertEqual(message(#"{"base": "b.json", "variants": {"a b": {}}}"#), #"variants.a b: a variant name may use only letters, digits and . _ = + - (and not "__")"#)
    }
}
