import Foundation
import XCTest

/// Well-formed JSON with a wrong value: `run` exits 2 with one line naming the
/// file and the JSON path, before creating any run directory.
final class RecipeValidationErrorTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = try makeTemporaryDirectory(for: self)
        try write(tinyRecipe(), "tiny.json", in: directory)
    }

    /// The error of `run tiny.json` with these overrides.
    private func error(_ overrides: [String], file: StaticString = #filePath, line: UInt = #line) throws -> String {
        try assertConfigError(["run", "tiny.json"] + overrides.flatMap { ["--set", $0] }, in: directory, file: file, line: line)
    }

    /// The error of `run bad.json` for this recipe text.
    private func error(recipe text: String, file: StaticString = #filePath, line: UInt = #line) throws -> String {
        try write(text, "bad.json", in: directory)
        return try assertConfigError(["run", "bad.json"], in: directory, file: file, line: line)
    }

    // MARK: - Keys

    func testMisspeltSectionSuggestsTheRightOne() throws {
        let text = tinyRecipe().replacingOccurrences(of: #""train":"#, with: #""trian":"#)
        XCTAssertEqual(try error(recipe: text), #"bad.json: trian: unknown key; did you mean "train"?"#)
    }

    func testMisspeltKeySuggestsTheRightOne() throws {
        let text = tinyRecipe().replacingOccurrences(of: #""epochs":"#, with: #""epoch":"#)
        XCTAssertEqual(try error(recipe: text), #"bad.json: train.epoch: unknown key; did you mean "epochs"?"#)
    }

    func testMisspeltKeyIsReportedRatherThanItsDefault() throws {
        // Without the typo check first, the default batch size (64 > 42 training sets) would be blamed.
        let text = tinyRecipe().replacingOccurrences(of: #""batch_size":"#, with: #""batchsize":"#)
        XCTAssertEqual(try error(recipe: text), #"bad.json: train.batchsize: unknown key; did you mean "batch_size"?"#)
    }

    func testUnknownAggregatorParameterListsTheKnownKeys() throws {
        XCTAssertEqual(try error(["model.aggregator.t_min=0.2"]), #"tiny.json: model.aggregator.t_min: unknown key; known keys are "type""#)
    }

    // MARK: - Types and ranges

    func testWrongTypes() throws {
        XCTAssertEqual(try error(["train.epochs=ten"]), #"tiny.json: train.epochs: expected a number, got string "ten""#)
        XCTAssertEqual(try error(["train.epochs=2.5"]), "tiny.json: train.epochs: must be an integer, got 2.5")
        XCTAssertEqual(try error(["output.plots=1"]), "tiny.json: output.plots: expected true or false, got number 1")
        XCTAssertEqual(try error(["model.aggregator=mean"]), #"tiny.json: model.aggregator: expected an object, got string "mean""#)
        XCTAssertEqual(try error(["model.encoder=[8]"]), "tiny.json: model.encoder: expected an object, got array")
    }

    func testZeroOrNegativeEpochs() throws {
        XCTAssertEqual(try error(["train.epochs=0"]), "tiny.json: train.epochs: must be >= 1, got 0")
        XCTAssertEqual(try error(["train.epochs=-3"]), "tiny.json: train.epochs: must be >= 1, got -3")
    }

    func testZeroOrNegativeBatchSize() throws {
        XCTAssertEqual(try error(["train.batch_size=0"]), "tiny.json: train.batch_size: must be >= 2, got 0")
        XCTAssertEqual(try error(["train.batch_size=-8"]), "tiny.json: train.batch_size: must be >= 2, got -8")
    }

    func testNegativeLambda() throws {
        XCTAssertEqual(try error(["loss.lambda_pcc=-1"]), "tiny.json: loss.lambda_pcc: must be >= 0, got -1")
    }

    func testNonPositiveLearningRate() throws {
        XCTAssertEqual(try error(["optimizer.lr=0"]), "tiny.json: optimizer.lr: must be > 0, got 0")
    }

    func testSplitFractionsAboveOne() throws {
        XCTAssertEqual(try error(["data.split.train=0.9", "data.split.validation=0.2"]),
                       "tiny.json: data.split.validation: train + validation must be ≤ 1, got 0.9 + 0.2")
    }

    // MARK: - Registry names

    func testUnknownAggregatorListsTheKnownOnes() throws {
        XCTAssertEqual(try error(["model.aggregator.type=attention"]),
                       #"tiny.json: model.aggregator.type: unknown aggregator "attention"; known: mean, max, softmax, gated, pma, linear, signed, eca, cls"#)
    }

    func testMisspeltAggregatorSuggestsTheRightOne() throws {
        let message = try error(["model.aggregator.type=sofmax"])
        XCTAssertTrue(message.hasPrefix(#"tiny.json: model.aggregator.type: unknown aggregator "sofmax" (did you mean "softmax"?); known: "#), message)
    }

    func testUnknownLoss() throws {
        let message = try error(["loss.type=huber"])
        XCTAssertTrue(message.hasPrefix(#"tiny.json: loss.type: unknown loss "huber"; known: "#), message)
        XCTAssertTrue(message.contains("dnpl"), message)
    }

    func testMisspeltDataSourceSuggestsTheRightOne() throws {
        let message = try error(["data.type=homogenous"])
        XCTAssertTrue(message.hasPrefix(#"tiny.json: data.type: unknown data source "homogenous" (did you mean "homogeneous"?); known: "#), message)
        XCTAssertTrue(message.contains("set_csv"), message)
    }

    // MARK: - Checks against the data

    func testBatchSizeLargerThanTheTrainingSplit() throws {
        // 60 sets × 0.7 = 42 training sets.
        XCTAssertEqual(try error(["train.batch_size=64"]), "tiny.json: train.batch_size: must be ≤ the training split (42 sets), got 64")
    }

    func testTooFewValidationSets() throws {
        XCTAssertEqual(try error(["data.samples=10", "data.split.validation=0.1", "train.batch_size=2"]),
                       "tiny.json: data.split.validation: the validation split has 1 sets; it needs at least 2")
    }

    // MARK: - Output

    func testEmptyOutputDirectoryIsRefused() throws {
        // An empty dir used to put the run directory at the file-system root.
        XCTAssertEqual(try error(["output.dir="]), #"tiny.json: output.dir: must not be empty (use "." for the current directory)"#)
    }

    func testRunNameWithASlashIsRefused() throws {
        XCTAssertEqual(try error(["output.name=a/b"]), #"tiny.json: output.name: must be a plain directory name (not empty, "." or "..", no "/"), got "a/b""#)
        XCTAssertEqual(try error(["output.name=.."]), #"tiny.json: output.name: must be a plain directory name (not empty, "." or "..", no "/"), got "..""#)
    }

    // MARK: - Overrides

    func testUnknownModelPreset() throws {
        XCTAssertEqual(try error(["model=eca-mlpp"]), #"tiny.json: model: no model preset "eca-mlpp" (looked in models/); known presets: none"#)
    }

    func testSetWithoutEquals() throws {
        XCTAssertEqual(try error(["train.epochs"]), #"--set: expected PATH=VALUE, got "train.epochs""#)
    }

    func testSetWithBrokenJSON() throws {
        XCTAssertEqual(try error(["model.encoder.widths=[8,"]),
                       "--set: model.encoder.widths: value [8, is not valid JSON (column 4: unexpected end of file: '[' opened at line 1, column 1 is never closed)")
    }

    func testSetWithoutValue() throws {
        XCTAssertEqual(try assertConfigError(["run", "tiny.json", "--set"], in: directory), "run: --set needs a value")
    }

    func testValidateRefusesTheSameMistakes() throws {
        let message = try assertConfigError(["validate", "tiny.json", "--set", "loss.lambda_pcc=-1"], in: directory)
        XCTAssertEqual(message, "tiny.json: loss.lambda_pcc: must be >= 0, got -1")
    }
}
