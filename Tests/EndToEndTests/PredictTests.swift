import Foundation
import XCTest

/// `predict RUN_DIR INPUT.csv`: one prediction per set, and a clear refusal of
/// inputs or checkpoints that do not fit the run.
final class PredictTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = try makeTemporaryDirectory(for: self)
    }

    /// Three sets over the tiny recipe's three features; set `b` is split
    /// across non-adjacent rows.
    private let input = """
        set,x0,x1,x2,target
        b,0.1,0.2,0.3,1.0
        a,-0.5,0.4,0.0,2.0
        b,0.3,0.1,-0.2,1.0
        c,1.0,1.0,1.0,-1.0
        """

    private func rows(_ csv: String) -> [[String]] {
        csv.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
    }

    func testOnePredictionPerSetOnStandardOutput() throws {
        let run = try trainTinyRun(in: directory, name: "mean")
        try write(input, "input.csv", in: directory)
        let output = try CLI.run(["predict", run.path, "input.csv"], cwd: directory)
        XCTAssertEqual(output.status, 0, output.stderr)
        XCTAssertEqual(output.stderr, "")
        let table = rows(output.stdout)
        XCTAssertEqual(table.first, ["set", "prediction", "target"])
        XCTAssertEqual(table.dropFirst().map { $0[0] }, ["b", "a", "c"], "sets in order of first appearance")
        XCTAssertEqual(table.dropFirst().map { $0[2] }, ["1.0", "2.0", "-1.0"])
        for row in table.dropFirst() {
            XCTAssertEqual(row.count, 3)
            XCTAssertTrue(Double(row[1])?.isFinite ?? false, "prediction \(row[1]) is not a finite number")
        }
    }

    func testOutputFileWithoutTargets() throws {
        let run = try trainTinyRun(in: directory, name: "mean")
        let noTarget = input.split(separator: "\n").map { $0.split(separator: ",").dropLast().joined(separator: ",") }.joined(separator: "\n")
        try write(noTarget, "input.csv", in: directory)
        let output = try CLI.run(["predict", run.path, "input.csv", "--output", "predictions.csv"], cwd: directory)
        XCTAssertEqual(output.status, 0, output.stderr)
        XCTAssertEqual(output.stdout, "wrote 3 predictions to predictions.csv\n")
        let table = rows(try String(contentsOf: directory.appendingPathComponent("predictions.csv"), encoding: .utf8))
        XCTAssertEqual(table.first, ["set", "prediction"])
        XCTAssertEqual(table.count, 4)
    }

    func testPredictionsAreDeterministic() throws {
        let run = try trainTinyRun(in: directory, name: "softmax", aggregator: "softmax")
        try write(input, "input.csv", in: directory)
        let first = try CLI.run(["predict", run.path, "input.csv"], cwd: directory)
        let second = try CLI.run(["predict", run.path, "input.csv"], cwd: directory)
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertEqual(first.stdout, second.stdout)
    }

    func testCheckpointFromAnotherModelIsRefused() throws {
        let mean = try trainTinyRun(in: directory, name: "mean")
        let softmax = try trainTinyRun(in: directory, name: "softmax", aggregator: "softmax")
        try write(input, "input.csv", in: directory)
        let checkpoint = "model.safetensors"
        let meanWeights = try Data(contentsOf: mean.appendingPathComponent(checkpoint))
        let softmaxWeights = try Data(contentsOf: softmax.appendingPathComponent(checkpoint))
        try softmaxWeights.write(to: mean.appendingPathComponent(checkpoint))
        try meanWeights.write(to: softmax.appendingPathComponent(checkpoint))

        // The softmax checkpoint has scorer weights the mean model lacks…
        var output = try CLI.run(["predict", "runs/mean", "input.csv"], cwd: directory)
        var message = assertOneErrorLine(output, status: 2)
        XCTAssertTrue(message.hasPrefix("runs/mean/model.safetensors: checkpoint is from another model: unexpected parameters aggregator."), message)
        XCTAssertEqual(output.stdout, "")

        // …and the mean checkpoint lacks them.
        output = try CLI.run(["predict", "runs/softmax", "input.csv"], cwd: directory)
        message = assertOneErrorLine(output, status: 2)
        XCTAssertTrue(message.hasPrefix(#"runs/softmax/model.safetensors: checkpoint is from another model: it has no parameter "aggregator."#), message)
    }

    func testInputWithOtherFeatureColumnsIsRefused() throws {
        _ = try trainTinyRun(in: directory, name: "mean")
        try write("set,x0,target\na,1,2\nb,2,3\n", "narrow.csv", in: directory)
        let output = try CLI.run(["predict", "runs/mean", "narrow.csv"], cwd: directory)
        let message = assertOneErrorLine(output, status: 2)
        XCTAssertEqual(message, "predict: narrow.csv has 1 feature column (x0); the run was trained on 3")
    }

    func testNotARunDirectory() throws {
        try write(input, "input.csv", in: directory)
        let message = try assertConfigError(["predict", "nowhere", "input.csv"], in: directory)
        XCTAssertEqual(message, "predict: nowhere is not a run directory (no recipe.resolved.json)")
    }

    func testMissingInput() throws {
        _ = try trainTinyRun(in: directory, name: "mean")
        let message = try assertConfigError(["predict", "runs/mean", "absent.csv"], in: directory)
        XCTAssertEqual(message, "absent.csv: no such file")
    }

    func testBadValueInInputNamesRowAndColumn() throws {
        _ = try trainTinyRun(in: directory, name: "mean")
        try write("set,x0,x1,x2\na,1,2,nan\n", "input.csv", in: directory)
        let message = try assertConfigError(["predict", "runs/mean", "input.csv"], in: directory)
        XCTAssertEqual(message, #"input.csv: row 2, column "x2": NaN is not allowed"#)
    }

    func testWrongArgumentCount() throws {
        let message = try assertConfigError(["predict", "runs/mean"], in: directory)
        XCTAssertEqual(message, "predict: expected RUN_DIR and INPUT.csv; usage: eca-zoo predict RUN_DIR INPUT.csv")
    }
}
