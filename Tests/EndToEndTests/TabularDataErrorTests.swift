import Foundation
import XCTest

/// Bad tables behind a valid `tabular_csv` recipe: one line naming the file (and
/// the row and column of a bad value, or the columns there are), exit status 2,
/// nothing written.
final class TabularDataErrorTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = try makeTemporaryDirectory(for: self)
        let data = #"{"type": "tabular_csv", "path": "table.csv", "target": "y", "exclude": ["when"]}"#
        try write(tinyRecipe(batchSize: 4, data: data), "table.json", in: directory)
    }

    /// 40 rows of `when,a,b,y` with y = a + b; `edit` changes the text before writing.
    private func table(_ edit: (inout [String]) -> Void = { _ in }) -> String {
        var lines = ["when,a,b,y"]
        for i in 0..<40 { lines.append("t\(i),\(Double(i) * 0.1),\(Double(i % 7)),\(Double(i) * 0.1 + Double(i % 7))") }
        edit(&lines)
        return lines.joined(separator: "\n") + "\n"
    }

    private func error(_ text: String, file: StaticString = #filePath, line: UInt = #line) throws -> String {
        try write(text, "table.csv", in: directory)
        return try assertConfigError(["run", "table.json"], in: directory, file: file, line: line)
    }

    func testAGoodTableTrains() throws {
        try write(table(), "table.csv", in: directory)
        let out = try CLI.run(["run", "table.json", "-q"], cwd: directory)
        XCTAssertEqual(out.status, 0, out.stderr)
        XCTAssertTrue(out.stdout.contains("test pcc"), out.stdout)
    }

    func testPredictReadsATableWithTheRunsColumnSettings() throws {
        try write(table(), "table.csv", in: directory)
        let run = try CLI.run(["run", "table.json", "-q", "--set", "output.name=t"], cwd: directory)
        XCTAssertEqual(run.status, 0, run.stderr)
        let withTarget = try CLI.run(["predict", "runs/t", "table.csv"], cwd: directory)
        XCTAssertEqual(withTarget.status, 0, withTarget.stderr)
        let lines = withTarget.stdout.split(separator: "\n")
        XCTAssertEqual(lines.first, "row,prediction,target")
        XCTAssertEqual(lines.count, 41)
        // Without the target column (and with the excluded column still there): predictions only.
        let noTarget = table { lines in lines = lines.map { $0.split(separator: ",").dropLast().joined(separator: ",") } }
        try write(noTarget, "new.csv", in: directory)
        let plain = try CLI.run(["predict", "runs/t", "new.csv"], cwd: directory)
        XCTAssertEqual(plain.status, 0, plain.stderr)
        let rows = plain.stdout.split(separator: "\n")
        XCTAssertEqual(rows.first, "row,prediction")
        XCTAssertEqual(rows.count, 41)
        XCTAssertEqual(rows.dropFirst().map { $0.split(separator: ",")[1] }, lines.dropFirst().map { $0.split(separator: ",")[1] })
    }

    func testAMissingTargetColumnListsTheColumns() throws {
        let text = table { $0[0] = "when,a,b,target" }
        XCTAssertEqual(try error(text), #"table.csv: no column "y"; columns are: a, b, target"#)
    }

    func testANonNumericCellNamesRowAndColumn() throws {
        let text = table { $0[5] = "t4,0.4,oops,4.4" }
        XCTAssertEqual(try error(text), #"table.csv: row 6, column "b": not a number: "oops""#)
    }

    func testNaNAndInfinityNameRowAndColumn() throws {
        XCTAssertTrue(try error(table { $0[3] = "t2,nan,2,2.2" }).hasPrefix(#"table.csv: row 4, column "a": "#))
        XCTAssertTrue(try error(table { $0[9] = "t8,0.8,1,inf" }).hasPrefix(#"table.csv: row 10, column "y": "#))
    }

    func testAnEmptyTableAndAHeaderOnly() throws {
        XCTAssertEqual(try error(""), "table.csv: file is empty")
        XCTAssertEqual(try error("when,a,b,y\n"), "table.csv: no data rows")
    }

    func testARaggedRow() throws {
        let text = table { $0[7] = "t6,0.6,6" }
        XCTAssertEqual(try error(text), "table.csv: row 8: expected 4 fields, got 3")
    }

    func testADateColumnBecomesFeaturesAndABadDateNamesRowAndColumn() throws {
        let dated = table { lines in for i in 1..<lines.count { lines[i] = lines[i].replacingOccurrences(of: "t\(i - 1),", with: "2016-01-\(10 + i % 9) 1\(i % 10):00:00,") } }
        try write(dated, "table.csv", in: directory)
        let ok = try CLI.run(["run", "table.json", "-q", "--set", "data.date_column=when", "--set", "data.exclude=[]"], cwd: directory)
        XCTAssertEqual(ok.status, 0, ok.stderr)
        let bad = dated.replacingOccurrences(of: "2016-01-12 12:00:00", with: "12/01/2016")
        try write(bad, "table.csv", in: directory)
        let message = try assertConfigError(["run", "table.json", "--set", "data.date_column=when", "--set", "data.exclude=[]"], in: directory)
        XCTAssertTrue(message.hasPrefix(#"table.csv: row "#) && message.contains(#"column "when": not a date in the format "yyyy-MM-dd HH:mm:ss": "12/01/2016""#), message)
    }

    func testMissingValuesAreRefusedUnlessThePolicyDropsTheirRows() throws {
        let text = table { $0[4] = "t3,,3,3.3" }
        XCTAssertEqual(try error(text), #"table.csv: row 5, column "a": missing value (empty field)"#)
        let out = try CLI.run(["run", "table.json", "-q", "--set", "data.missing=drop"], cwd: directory)
        XCTAssertEqual(out.status, 0, out.stderr)
    }

    func testAConstantTargetIsRefusedRatherThanReportingNaN() throws {
        let text = table { lines in for i in 1..<lines.count { lines[i] = "t\(i),\(i),\(i % 3),5" } }
        XCTAssertEqual(try error(text), "table.json: data: the target is constant (5.0) over the training split, so the Pearson correlation is undefined")
    }
}
