import Foundation
import XCTest

/// The commands that read rather than train: `validate`, `data stats`, `plot`, `list`.
final class InspectionCommandTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = try makeTemporaryDirectory(for: self)
    }

    // MARK: - validate

    func testValidateAcceptsTheShippedRecipe() throws {
        let output = try CLI.run(["validate", "recipes/homog.json"], cwd: CLI.packageRoot)
        XCTAssertEqual(output.status, 0, output.stderr)
        XCTAssertEqual(output.stderr, "")
        XCTAssertNotNil(output.stdout.range(of: #"^recipes/homog\.json: ok — \d+ sets, \d+ parameters, "#, options: .regularExpression), output.stdout)
        XCTAssertTrue(output.stdout.contains("σ̃ = 0."), output.stdout)
    }

    func testValidateWritesNothingAndPrintsTheResolvedRecipe() throws {
        try write(tinyRecipe(), "tiny.json", in: directory)
        let output = try CLI.run(["validate", "tiny.json", "--print"], cwd: directory)
        XCTAssertEqual(output.status, 0, output.stderr)
        XCTAssertEqual(contents(of: directory), ["tiny.json"], "validate must not create a run directory")
        // The resolved recipe comes first, then the one-line verdict.
        let verdict = output.stdout.range(of: "tiny.json: ok — ")
        XCTAssertNotNil(verdict, output.stdout)
        let resolved = try jsonObject(Data(output.stdout[..<(verdict?.lowerBound ?? output.stdout.startIndex)].utf8), origin: "validate --print")
        XCTAssertEqual((resolved["train"] as? [String: Any])?["select_by"] as? String, "pcc")
    }

    // MARK: - data stats

    func testDataStatsPrintsTheDispersion() throws {
        try write(tinyRecipe(), "tiny.json", in: directory)
        let output = try CLI.run(["data", "stats", "tiny.json"], cwd: directory)
        XCTAssertEqual(output.status, 0, output.stderr)
        let lines = output.stdout.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.first, "sets: 60 (train 42, validation 9, test 9)")
        XCTAssertTrue(lines.contains("elements per set: min 4, max 4, mean 4.0000"), output.stdout)
        XCTAssertTrue(lines.contains("element features: 3"), output.stdout)
        let sigma = lines.first { $0.hasPrefix("normalised in-sample dispersion σ̃: ") }
        let value = sigma.flatMap { Double($0.split(separator: " ").last ?? "") }
        XCTAssertNotNil(value, output.stdout)
        XCTAssertTrue((0.1...0.5).contains(value ?? -1), "σ̃ of η = 0.3 sets should be near 0.25, got \(value ?? .nan)")
        XCTAssertEqual(contents(of: directory), ["tiny.json"])
    }

    func testDataStatsUsage() throws {
        XCTAssertEqual(try assertConfigError(["data", "summary", "tiny.json"], in: directory), "data: usage: eca-zoo data stats RECIPE.json")
    }

    // MARK: - plot

    func testPlotOfTwoRunsLabelsBoth() throws {
        _ = try trainTinyRun(in: directory, name: "m", aggregator: "mean")
        _ = try trainTinyRun(in: directory, name: "s", aggregator: "softmax")
        let output = try CLI.run(["plot", "runs/m", "runs/s", "--output", "both.svg"], cwd: directory)
        XCTAssertEqual(output.status, 0, output.stderr)
        XCTAssertEqual(output.stdout, "wrote both.svg\n")
        let svg = try String(contentsOf: directory.appendingPathComponent("both.svg"), encoding: .utf8)
        XCTAssertTrue(svg.contains("<svg"), "not SVG")
        XCTAssertTrue(svg.contains("mean (m)"), "the mean run's label is missing")
        XCTAssertTrue(svg.contains("softmax (s)"), "the softmax run's label is missing")
    }

    func testPlotOfAMissingRun() throws {
        _ = try trainTinyRun(in: directory, name: "m")
        let message = try assertConfigError(["plot", "runs/m", "runs/absent", "--output", "x.svg"], in: directory)
        XCTAssertEqual(message, "runs/absent/metrics.jsonl: no such file")
    }

    // MARK: - list

    func testListShowsEveryAggregatorWithItsParameters() throws {
        let output = try CLI.run(["list", "aggregators"], cwd: directory)
        XCTAssertEqual(output.status, 0, output.stderr)
        let lines = output.stdout.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.first, "aggregators:")
        let names = lines.filter { $0.hasPrefix("  ") && !$0.hasPrefix("    ") }.compactMap { $0.split(separator: " ").first.map(String.init) }
        for name in ["mean", "max", "softmax", "gated", "pma", "linear", "signed", "eca", "cls"] {
            XCTAssertTrue(names.contains(name), "list aggregators lacks \(name): \(names)")
        }
        // Parameters appear under their aggregator as `name: type = default`.
        func parameters(of aggregator: String) -> [String] {
            guard let start = lines.firstIndex(where: { $0.hasPrefix("  \(aggregator)  — ") }) else { return [] }
            return lines[(start + 1)...].prefix { $0.hasPrefix("      ") }
                .compactMap { $0.trimmingCharacters(in: .whitespaces).split(separator: ":").first.map(String.init) }
        }
        XCTAssertEqual(parameters(of: "mean"), [])
        XCTAssertTrue(parameters(of: "softmax").contains("temperature"), "\(parameters(of: "softmax"))")
        XCTAssertEqual(Set(parameters(of: "pma")), ["key_width", "heads", "seeds"])
        XCTAssertEqual(Set(parameters(of: "linear")), ["key_width", "normalize"])
        for name in ["dats", "sra", "t_min", "beta", "gamma_max", "lambda_gamma"] {
            XCTAssertTrue(parameters(of: "eca").contains(name), "eca lacks \(name): \(parameters(of: "eca"))")
        }
        XCTAssertTrue(output.stdout.contains("      t_min: number = 0.1, > 0 — "), output.stdout)
    }

    func testListShowsEverySection() throws {
        let output = try CLI.run(["list"], cwd: directory)
        XCTAssertEqual(output.status, 0, output.stderr)
        for section in ["aggregators:", "encoders:", "heads:", "losses:", "data:"] {
            XCTAssertTrue(output.stdout.contains("\n\(section)\n") || output.stdout.hasPrefix("\(section)\n"), "missing \(section)")
        }
    }

    func testListUnknownSection() throws {
        XCTAssertEqual(try assertConfigError(["list", "aggregator"], in: directory),
                       #"list: unknown section "aggregator"; sections: aggregators, encoders, heads, losses, data"#)
    }
}
