import Foundation
import XCTest

/// Bad data behind a valid recipe: `run` exits 2 with one line naming the data
/// file and, for a bad value, its row (the line in the file) and column; no run
/// directory is created, because data is loaded before anything is written.
final class DataErrorTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = try makeTemporaryDirectory(for: self)
        try write(tinyRecipe(batchSize: 2, data: #"{"type": "set_csv", "path": "data/sets.csv"}"#), "csv.json", in: directory)
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("data"), withIntermediateDirectories: false)
    }

    private func error(csv text: String?, _ extra: [String] = [], file: StaticString = #filePath, line: UInt = #line) throws -> String {
        if let text { try write(text, "data/sets.csv", in: directory) }
        return try assertConfigError(["run", "csv.json"] + extra, in: directory, file: file, line: line)
    }

    func testMissingDataFile() throws {
        XCTAssertEqual(try error(csv: nil), "data/sets.csv: no such file")
    }

    func testDataPathIsADirectory() throws {
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("data/sets.csv"), withIntermediateDirectories: false)
        XCTAssertEqual(try error(csv: nil), "data/sets.csv: cannot read: Is a directory")
    }

    func testDataPathIsRelativeToTheRecipe() throws {
        // Run from elsewhere: the message names the file as resolved from the recipe's folder.
        let elsewhere = try makeTemporaryDirectory(for: self)
        let recipe = directory.appendingPathComponent("csv.json").path
        let message = try assertConfigError(["run", recipe], in: elsewhere)
        XCTAssertEqual(message, directory.appendingPathComponent("data/sets.csv").path + ": no such file")
    }

    func testEmptyDataFile() throws {
        XCTAssertEqual(try error(csv: ""), "data/sets.csv: file is empty")
    }

    func testHeaderOnly() throws {
        XCTAssertEqual(try error(csv: "set,x0,x1,target\n"), "data/sets.csv: no data rows")
    }

    func testNaNIsReportedWithRowAndColumn() throws {
        let csv = "set,x0,x1,target\na,1,2,3\na,1,nan,3\n"
        XCTAssertEqual(try error(csv: csv), #"data/sets.csv: row 3, column "x1": NaN is not allowed"#)
    }

    func testInfinityIsReportedWithRowAndColumn() throws {
        let csv = "set,x0,x1,target\na,1,2,3\n\nb,-inf,2,3\n"
        // Line 4: the blank line counts, so the row is the line an editor shows.
        XCTAssertEqual(try error(csv: csv), #"data/sets.csv: row 4, column "x0": -inf is not allowed"#)
    }

    func testInfiniteTarget() throws {
        let csv = "set,x0,x1,target\na,1,2,inf\n"
        XCTAssertEqual(try error(csv: csv), #"data/sets.csv: row 2, column "target": inf is not allowed"#)
    }

    func testTextInANumericColumn() throws {
        let csv = "set,x0,x1,target\na,1,two,3\n"
        XCTAssertEqual(try error(csv: csv), #"data/sets.csv: row 2, column "x1": not a number: "two""#)
    }

    func testMissingValue() throws {
        let csv = "set,x0,x1,target\na,1,,3\n"
        XCTAssertEqual(try error(csv: csv), #"data/sets.csv: row 2, column "x1": missing value (empty field)"#)
    }

    func testWrongFieldCount() throws {
        let csv = "set,x0,x1,target\na,1,2,3\nb,1,2\n"
        XCTAssertEqual(try error(csv: csv), "data/sets.csv: row 3: expected 4 fields, got 3")
    }

    func testConflictingTargetsWithinASet() throws {
        // Rows of one set need not be adjacent; the row named is the first that disagrees.
        let csv = "set,x0,x1,target\na,1,2,3\nb,1,2,5\n\na,0,1,4\n"
        XCTAssertEqual(try error(csv: csv), #"data/sets.csv: row 5, column "target": set "a" has different targets (3.0 and 4.0)"#)
    }

    func testMissingTargetColumn() throws {
        let csv = "set,x0,x1,y\na,1,2,3\n"
        XCTAssertEqual(try error(csv: csv), #"data/sets.csv: no column "target"; columns are: x0, x1, y"#)
    }

    func testNoFeatureColumns() throws {
        var csv = "set,target\n"
        for s in 0..<20 { csv += "s\(s),\(s % 3)\n" }
        XCTAssertEqual(try error(csv: csv), #"data/sets.csv: no feature columns besides the set id "set" and the target "target""#)
    }

    func testMisspeltSetColumnSuggestsTheRightOne() throws {
        let csv = "set,x0,x1,target\na,1,2,3\n"
        XCTAssertEqual(try error(csv: csv, ["--set", "data.set_column=Set"]),
                       #"data/sets.csv: no column "Set" (did you mean "set"?); columns are: set, x0, x1, target"#)
    }

    /// A set with no elements cannot be written in a set CSV: a set exists only
    /// through its rows, so every set has at least one element. The synthetic
    /// source refuses a set size of 0 instead.
    func testEmptySetsCannotBeRequested() throws {
        try write(tinyRecipe(), "tiny.json", in: directory)
        let expected = "tiny.json: data.set_size: must be a whole number ≥ 1 or [min, max] with 1 ≤ min ≤ max"
        XCTAssertEqual(try assertConfigError(["run", "tiny.json", "--set", "data.set_size=0"], in: directory), expected)
        XCTAssertEqual(try assertConfigError(["run", "tiny.json", "--set", "data.set_size=[0, 3]"], in: directory), expected)
    }

    func testBatchSizeLargerThanTheCSVTrainingSplit() throws {
        // 20 sets × 0.7 = 14 training sets.
        var csv = "set,x0,x1,target\n"
        for s in 0..<20 { csv += "s\(s),\(s),1,\(s % 3)\n" }
        XCTAssertEqual(try error(csv: csv, ["--set", "train.batch_size=15"]),
                       "csv.json: train.batch_size: must be ≤ the training split (14 sets), got 15")
    }
}
