import Foundation
import XCTest

/// What a finished run leaves on disk, and what a failed one does not.
final class RunDirectoryTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = try makeTemporaryDirectory(for: self)
    }

    private static let metricNames: Set<String> = ["mse", "rmse", "mae", "pcc", "spearman", "sigma_pred"]

    private func assertMetrics(_ value: Any?, _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        guard let metrics = value as? [String: Any] else {
            XCTFail("\(what): expected an object of metrics, got \(String(describing: value))", file: file, line: line)
            return
        }
        XCTAssertEqual(Set(metrics.keys), Self.metricNames, what, file: file, line: line)
        for (name, number) in metrics {
            XCTAssertNotNil(number as? Double, "\(what).\(name) is not a number: \(number)", file: file, line: line)
        }
    }

    /// The ECA recipe shipped in recipes/, shrunk to 300 sets and 2 epochs.
    func testTinyRunWritesEveryFile() throws {
        let recipe = CLI.packageRoot.appendingPathComponent("recipes/homog.json").path
        let output = try CLI.run(["run", recipe, "--set", "data.samples=300", "--set", "train.epochs=2",
                                  "--set", "output.dir=out", "--set", "output.name=tiny"], cwd: directory)
        XCTAssertEqual(output.status, 0, output.stderr)
        XCTAssertTrue(output.stdout.contains("run directory: out/tiny"), output.stdout)
        XCTAssertTrue(output.stdout.contains("best epoch "), output.stdout)
        let run = directory.appendingPathComponent("out/tiny")
        XCTAssertEqual(contents(of: run), ["curves.svg", "metrics.jsonl", "model.safetensors", "recipe.resolved.json", "summary.json"])

        // recipe.resolved.json: the preset expanded, overrides applied, defaults filled in.
        let resolved = try jsonObject(at: run.appendingPathComponent("recipe.resolved.json"))
        let data = resolved["data"] as? [String: Any]
        XCTAssertEqual(data?["samples"] as? Int, 300)
        XCTAssertEqual((data?["split"] as? [String: Any])?["train"] as? Double, 0.7)
        XCTAssertEqual((data?["standardize"] as? [String: Any])?["features"] as? Bool, true)
        let aggregator = (resolved["model"] as? [String: Any])?["aggregator"] as? [String: Any]
        XCTAssertEqual(aggregator?["type"] as? String, "eca")
        XCTAssertEqual(aggregator?["t_min"] as? Double, 0.1)
        XCTAssertEqual(aggregator?["lambda_gamma"] as? Double, 0.01)
        let train = resolved["train"] as? [String: Any]
        XCTAssertEqual(train?["epochs"] as? Int, 2)
        XCTAssertEqual(train?["patience"] as? Int, 0)
        XCTAssertEqual((resolved["optimizer"] as? [String: Any])?["betas"] as? [Double], [0.9, 0.999])
        XCTAssertEqual((resolved["output"] as? [String: Any])?["plots"] as? Bool, true)

        // metrics.jsonl: one JSON object per epoch.
        let lines = try String(contentsOf: run.appendingPathComponent("metrics.jsonl"), encoding: .utf8)
            .split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, 2)
        for (index, text) in lines.enumerated() {
            let record = try jsonObject(Data(text.utf8), origin: "metrics.jsonl line \(index + 1)")
            XCTAssertEqual(record["epoch"] as? Int, index + 1)
            XCTAssertNotNil(record["train_loss"] as? Double)
            assertMetrics(record["val"], "metrics.jsonl line \(index + 1) val")
            assertMetrics(record["test"], "metrics.jsonl line \(index + 1) test")
            // The diagnostics carry Proposition 2.1's terms, which add up to the validation MSE.
            let diagnostics = try XCTUnwrap(record["diagnostics"] as? [String: Any])
            let terms = ["mse_mean_term", "mse_scale_term", "mse_correlation_term"].compactMap { diagnostics[$0] as? Double }
            XCTAssertEqual(terms.count, 3, "\(diagnostics.keys.sorted())")
            let valMSE = try XCTUnwrap((record["val"] as? [String: Any])?["mse"] as? Double)
            XCTAssertEqual(terms.reduce(0, +), valMSE, accuracy: 1e-6 * max(1, valMSE))
            for key in ["grad_ratio_pooled", "hull_radius", "sigma_pred", "gamma", "tau"] {
                XCTAssertNotNil(diagnostics[key] as? Double, "diagnostic \(key) missing")
            }
        }

        // summary.json: best and final epochs, speed, seed, version.
        let summary = try jsonObject(at: run.appendingPathComponent("summary.json"))
        XCTAssertEqual(summary["status"] as? String, "completed")
        for key in ["best", "final"] {
            let entry = summary[key] as? [String: Any]
            let epoch = entry?["epoch"] as? Int ?? 0
            XCTAssertTrue((1...2).contains(epoch), "\(key).epoch = \(epoch)")
            assertMetrics(entry?["val"], "summary \(key).val")
            assertMetrics(entry?["test"], "summary \(key).test")
        }
        XCTAssertEqual((summary["final"] as? [String: Any])?["epoch"] as? Int, 2)
        XCTAssertGreaterThan(summary["wall_seconds"] as? Double ?? 0, 0)
        XCTAssertGreaterThan(summary["train_samples_per_second"] as? Double ?? 0, 0)
        XCTAssertEqual(summary["seed"] as? Int, 0)
        let version = try CLI.run(["--version"], cwd: directory).stdout
        XCTAssertEqual("eca-zoo \(summary["version"] as? String ?? "?")\n", version)

        // model.safetensors: 8-byte little-endian header length, then a JSON header.
        let checkpoint = try Data(contentsOf: run.appendingPathComponent("model.safetensors"))
        XCTAssertGreaterThan(checkpoint.count, 8)
        let headerLength = checkpoint.prefix(8).reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        XCTAssertLessThanOrEqual(8 + headerLength, UInt64(checkpoint.count))
        let header = try jsonObject(checkpoint.subdata(in: 8..<(8 + Int(headerLength))), origin: "safetensors header")
        let metadata = header["__metadata__"] as? [String: String]
        XCTAssertEqual(metadata?["format"], "eca-zoo-checkpoint-1")
        var dataEnd = 0
        for (name, value) in header where name != "__metadata__" {
            let tensor = value as? [String: Any]
            XCTAssertEqual(tensor?["dtype"] as? String, "F32", name)
            let offsets = tensor?["data_offsets"] as? [Int] ?? []
            let shape = tensor?["shape"] as? [Int] ?? []
            XCTAssertEqual(offsets.count, 2, name)
            XCTAssertEqual((offsets.last ?? 0) - (offsets.first ?? 0), 4 * shape.reduce(1, *), name)
            dataEnd = max(dataEnd, offsets.last ?? 0)
        }
        XCTAssertTrue(header.keys.contains { $0.hasPrefix("aggregator.") }, "the ECA aggregator has parameters")
        XCTAssertEqual(8 + Int(headerLength) + dataEnd, checkpoint.count, "the data section ends the file")

        // curves.svg: a complete SVG document.
        let svg = try String(contentsOf: run.appendingPathComponent("curves.svg"), encoding: .utf8)
        XCTAssertTrue(svg.contains("<svg"), "curves.svg is not SVG")
        XCTAssertTrue(svg.hasSuffix("</svg>\n") || svg.hasSuffix("</svg>"), "curves.svg is cut short")
    }

    func testSwitchingTheAggregatorOnTheECARecipe() throws {
        let recipe = CLI.packageRoot.appendingPathComponent("recipes/homog.json").path
        let output = try CLI.run(["run", recipe, "-q", "--set", "data.samples=300", "--set", "train.epochs=2",
                                  "--set", "output.dir=out", "--set", "output.name=soft",
                                  "--set", "model.aggregator.t_min=0.2", "--set", "model.aggregator.type=softmax"], cwd: directory)
        XCTAssertEqual(output.status, 0, output.stderr)
        // The ECA-only parameter is dropped with a note, not refused.
        XCTAssertEqual(output.stderrLines, ["note: model.aggregator.type changed from eca to softmax: dropped t_min (not parameters of softmax)"])
        let resolved = try jsonObject(at: directory.appendingPathComponent("out/soft/recipe.resolved.json"))
        let aggregator = (resolved["model"] as? [String: Any])?["aggregator"] as? [String: Any]
        XCTAssertEqual(aggregator?["type"] as? String, "softmax")
        XCTAssertEqual(aggregator?["temperature"] as? Double, 1)
        XCTAssertNil(aggregator?["t_min"])
    }

    func testQuietPrintsOnlyTheResult() throws {
        try write(tinyRecipe(), "tiny.json", in: directory)
        let output = try CLI.run(["run", "tiny.json", "--quiet"], cwd: directory)
        XCTAssertEqual(output.status, 0, output.stderr)
        XCTAssertEqual(output.stderr, "")
        XCTAssertTrue(output.stdout.hasPrefix("best epoch "), output.stdout)
    }

    func testProgressGoesToStandardError() throws {
        try write(tinyRecipe(), "tiny.json", in: directory)
        let output = try CLI.run(["run", "tiny.json"], cwd: directory)
        XCTAssertEqual(output.status, 0, output.stderr)
        XCTAssertTrue(output.stderr.contains("epoch 1/2"), output.stderr)
        XCTAssertTrue(output.stderr.contains("epoch 2/2"), output.stderr)
        XCTAssertFalse(output.stdout.contains("epoch 1/2"), output.stdout)
    }

    func testATakenNameGetsASuffix() throws {
        try write(tinyRecipe(), "tiny.json", in: directory)
        for expected in ["runs/same", "runs/same-2"] {
            let output = try CLI.run(["run", "tiny.json", "-q", "--set", "output.name=same"], cwd: directory)
            XCTAssertEqual(output.status, 0, output.stderr)
            XCTAssertTrue(output.stdout.contains("run directory: \(expected)\n"), output.stdout)
        }
        XCTAssertEqual(contents(of: directory.appendingPathComponent("runs")), ["same", "same-2"])
    }

    func testOutputDirectoryUnderARegularFile() throws {
        // Tests may run as root, for whom permissions do not stop a write; a
        // regular file where a directory should be does.
        try write("not a directory\n", "blocker", in: directory)
        try write(tinyRecipe(outputDir: "blocker/runs"), "tiny.json", in: directory)
        let before = contents(of: directory)
        let output = try CLI.run(["run", "tiny.json", "--set", "output.name=x"], cwd: directory)
        let message = assertOneErrorLine(output, status: 1)
        XCTAssertEqual(message, "cannot create directory blocker/runs/x: Not a directory")
        XCTAssertEqual(contents(of: directory), before)
        XCTAssertEqual(try String(contentsOf: directory.appendingPathComponent("blocker"), encoding: .utf8), "not a directory\n")
    }

    func testOutputDirectoryIsARegularFile() throws {
        try write("", "blocker", in: directory)
        try write(tinyRecipe(outputDir: "blocker"), "tiny.json", in: directory)
        let output = try CLI.run(["run", "tiny.json"], cwd: directory)
        XCTAssertEqual(assertOneErrorLine(output, status: 1), "cannot create directory blocker: Not a directory")
    }

    func testDivergedRunExitsOneAndKeepsWhatItHas() throws {
        try write(tinyRecipe(), "tiny.json", in: directory)
        let output = try CLI.run(["run", "tiny.json", "-q", "--set", "output.name=boom", "--set", "optimizer.type=sgd",
                                  "--set", "optimizer.lr=1e30", "--set", "train.clip_norm=null"], cwd: directory)
        let message = assertOneErrorLine(output, status: 1)
        XCTAssertTrue(message.hasPrefix("training diverged: the loss is "), message)
        XCTAssertTrue(message.hasSuffix("(partial run kept in runs/boom)"), message)
        XCTAssertFalse(message.contains("checkpoint so far (epoch 0)"), "no epoch finished, so there is no checkpoint: \(message)")
        let run = directory.appendingPathComponent("runs/boom")
        XCTAssertEqual(contents(of: run), ["recipe.resolved.json", "summary.json"], "no half-written files")
        let summary = try jsonObject(at: run.appendingPathComponent("summary.json"))
        XCTAssertEqual(summary["status"] as? String, "failed")
        XCTAssertTrue((summary["error"] as? String ?? "").hasPrefix("training diverged"))
    }
}
