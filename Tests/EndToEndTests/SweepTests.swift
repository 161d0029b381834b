import Foundation
import XCTest

/// `eca-zoo sweep` and `eca-zoo report`, driven through the real binary with
/// tiny members (a few hundred small sets, one or two epochs).
final class SweepTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = try makeTemporaryDirectory(for: self)
        try write(tinyRecipe(epochs: 2, data: #"{"type": "homogeneous", "samples": 240, "set_size": 4, "dimension": 3, "seed": 1}"#),
                  "tiny.json", in: directory)
    }

    /// A sweep over tiny.json: `variants` as JSON text, seeds `0..<seeds`.
    private func writeSweep(_ name: String, variants: String, seeds: Int = 2, grid: String = "") throws {
        let seedList = (0..<seeds).map(String.init).joined(separator: ", ")
        try write("""
        {"base": "tiny.json", "set": {"train.epochs": 2},
         "grid": {\(grid.isEmpty ? "" : grid + ", ")"train.seed": [\(seedList)]},
         "variants": \(variants)}
        """, name, in: directory)
    }

    private func state(_ sweepDir: String) throws -> [[String: Any]] {
        let url = directory.appendingPathComponent(sweepDir + "/sweep.json")
        return (try jsonObject(at: url)["members"] as? [[String: Any]]) ?? []
    }

    private func runDirectories(_ sweepDir: String) -> [String] {
        contents(of: directory.appendingPathComponent(sweepDir + "/runs")).filter { !$0.hasPrefix(".") }
    }

    private let twoVariants = #"{"mean": {"model.aggregator.type": "mean"}, "softmax": {"model.aggregator.type": "softmax"}}"#

    // MARK: - Plan

    func testPlanListsVariantsTimesGridInOrder() throws {
        try writeSweep("s.json", variants: twoVariants, seeds: 2, grid: #""data.eta": [0.3, 1.0]"#)
        let output = try CLI.run(["sweep", "s.json", "--plan"], cwd: directory)
        XCTAssertEqual(output.status, 0, output.stderr)
        let names = output.stdout.split(separator: "\n").map { String($0.split(separator: " ")[0]) }
        XCTAssertEqual(names, [
            "mean__data.eta=0.3__train.seed=0", "mean__data.eta=0.3__train.seed=1",
            "mean__data.eta=1__train.seed=0", "mean__data.eta=1__train.seed=1",
            "softmax__data.eta=0.3__train.seed=0", "softmax__data.eta=0.3__train.seed=1",
            "softmax__data.eta=1__train.seed=0", "softmax__data.eta=1__train.seed=1",
        ])
        XCTAssertTrue(output.stdout.hasPrefix(
            "mean__data.eta=0.3__train.seed=0 --set train.epochs=2 --set model.aggregator.type=mean --set data.eta=0.3 --set train.seed=0\n"))
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory.appendingPathComponent("sweeps").path), "--plan runs nothing")
    }

    // MARK: - Validation before running

    func testBadMemberIsRefusedBeforeAnyRun() throws {
        try writeSweep("s.json", variants: #"{"mean": {"model.aggregator.type": "mean"}, "typo": {"train.epoch": 3}}"#)
        let before = contents(of: directory)
        let output = try CLI.run(["sweep", "s.json"], cwd: directory)
        let message = assertOneErrorLine(output, status: 2)
        XCTAssertEqual(message, #"sweep member typo__train.seed=0: tiny.json: train.epoch: unknown key; did you mean "epochs"?"#)
        XCTAssertEqual(contents(of: directory), before, "no sweep directory, no run directory")
    }

    func testTypoInTheSweepFileNamesFileAndPath() throws {
        try write(#"{"base": "tiny.json", "grdi": {"train.seed": [0]}}"#, "s.json", in: directory)
        let message = try assertConfigError(["sweep", "s.json"], in: directory)
        XCTAssertEqual(message, #"s.json: grdi: unknown key; did you mean "grid"?"#)
    }

    // MARK: - Running, failures, report

    func testFailingMemberIsRecordedAndOthersFinish() throws {
        try writeSweep("s.json", variants: #"{"mean": {"model.aggregator.type": "mean"}, "diverges": {"optimizer.lr": 1e38}}"#)
        let output = try CLI.run(["sweep", "s.json", "--jobs", "2"], cwd: directory)
        XCTAssertEqual(output.status, 1, output.stdout + output.stderr)
        XCTAssertTrue(output.stdout.contains("] done mean__train.seed=0 (test pcc "), output.stdout)
        XCTAssertTrue(output.stdout.contains("] failed diverges__train.seed=1: training diverged"), output.stdout)
        let members = try state("sweeps/s")
        XCTAssertEqual(members.count, 4)
        for m in members {
            let name = m["name"] as? String ?? ""
            XCTAssertEqual(m["status"] as? String, name.hasPrefix("mean") ? "done" : "failed", name)
            if name.hasPrefix("diverges") { XCTAssertTrue((m["error"] as? String ?? "").hasPrefix("training diverged"), "\(m)") }
        }

        let report = try CLI.run(["report", "sweeps/s"], cwd: directory)
        XCTAssertEqual(report.status, 0, report.stderr)
        let md = try String(contentsOf: directory.appendingPathComponent("sweeps/s/report.md"), encoding: .utf8)
        XCTAssertTrue(md.contains("## test PCC"), md)
        XCTAssertTrue(md.contains("| mean  | **"), md)
        let csv = try String(contentsOf: directory.appendingPathComponent("sweeps/s/report.csv"), encoding: .utf8)
        XCTAssertTrue(csv.hasPrefix("group,seeds,test_pcc_mean,test_pcc_std,"), csv)
        XCTAssertTrue(csv.contains("\nmean,2,"), csv)
        for svg in ["curves.svg", "bars.svg"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: directory.appendingPathComponent("sweeps/s/" + svg).path), svg)
        }
    }

    func testShardsCoverEveryMemberExactlyOnce() throws {
        try writeSweep("s.json", variants: twoVariants, seeds: 2, grid: #""data.eta": [0.5, 1.0]"#)
        let plan = try CLI.run(["sweep", "s.json", "--plan"], cwd: directory)
        let all = plan.stdout.split(separator: "\n").map { String($0.split(separator: " ")[0]) }
        for k in 1...3 {
            let output = try CLI.run(["sweep", "s.json", "--shard", "\(k)/3", "--output", "shared"], cwd: directory)
            XCTAssertEqual(output.status, 0, output.stdout + output.stderr)
        }
        let runs = runDirectories("shared")
        XCTAssertEqual(runs, all.sorted())
        for k in 1...3 {
            XCTAssertTrue(FileManager.default.fileExists(atPath: directory.appendingPathComponent("shared/sweep.shard-\(k)-of-3.json").path))
        }
        let report = try CLI.run(["report", "shared"], cwd: directory)
        XCTAssertEqual(report.status, 0, report.stderr)
        XCTAssertTrue(report.stdout.hasPrefix("8 runs in 4 groups"), report.stdout)
    }

    func testKilledSweepResumesAndRunsEveryMemberOnce() throws {
        try write(tinyRecipe(epochs: 3, data: #"{"type": "homogeneous", "samples": 300, "set_size": 8, "dimension": 3, "seed": 1}"#),
                  "slow.json", in: directory)
        try write("""
        {"base": "slow.json", "grid": {"train.seed": [0, 1, 2, 3, 4, 5]},
         "variants": {"mean": {"model.aggregator.type": "mean"}, "softmax": {"model.aggregator.type": "softmax"}}}
        """, "k.json", in: directory)
        guard let binary = CLI.binary else { throw XCTSkip("eca-zoo executable missing") }
        let process = Process()
        process.executableURL = binary
        process.arguments = ["sweep", "k.json", "--jobs", "2"]
        process.currentDirectoryURL = directory
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            if let members = try? state("sweeps/k"), members.contains(where: { $0["status"] as? String == "done" }) { break }
            Thread.sleep(forTimeInterval: 0.02)
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()

        let output = try CLI.run(["sweep", "k.json", "--jobs", "2"], cwd: directory)
        XCTAssertEqual(output.status, 0, output.stdout + output.stderr)
        let runs = runDirectories("sweeps/k")
        XCTAssertEqual(runs.count, 12, "\(runs)")
        XCTAssertFalse(runs.contains { $0.hasSuffix("-2") }, "\(runs)")
        let members = try state("sweeps/k")
        XCTAssertEqual(members.count, 12)
        XCTAssertTrue(members.allSatisfy { $0["status"] as? String == "done" }, "\(members)")
        for run in runs {
            let summary = try jsonObject(at: directory.appendingPathComponent("sweeps/k/runs/\(run)/summary.json"))
            XCTAssertEqual(summary["status"] as? String, "completed", run)
        }
        // A third start finds everything done and runs nothing.
        let again = try CLI.run(["sweep", "k.json"], cwd: directory)
        XCTAssertEqual(again.status, 0)
        XCTAssertTrue(again.stdout.contains("12 of 12 members already done"), again.stdout)
    }
}
