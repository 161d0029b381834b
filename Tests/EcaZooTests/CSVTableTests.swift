import XCTest
@testable import EcaZoo

final class CSVTableTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("csv-table-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    /// Writes `text` to a file named `name` in the test directory and returns its path.
    private func file(_ text: String, named name: String = "data.csv") throws -> String {
        let path = directory.appendingPathComponent(name).path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// The message `CSVTable.parse` throws for `text`, named `data.csv`.
    private func message(_ text: String, _ selection: CSVTable.ColumnSelection = .all,
                         file: StaticString = #filePath, line: UInt = #line) -> String {
        do {
            _ = try CSVTable.parse(Data(text.utf8), origin: "data.csv", numericColumns: selection)
            XCTFail("expected an error", file: file, line: line)
            return ""
        } catch let error as DataError {
            return error.description
        } catch {
            XCTFail("unexpected \(error)", file: file, line: line)
            return ""
        }
    }

    func testReadsNumbersColumnByColumn() throws {
        let table = try CSVTable.read(path: file("a,b,c\n1,2.5,-3e2\n4,  5 ,0.125\n"))
        XCTAssertEqual(table.columns, ["a", "b", "c"])
        XCTAssertEqual(table.rows, 2)
        XCTAssertEqual(table.column("a"), [1, 4])
        XCTAssertEqual(table.column("b"), [2.5, 5])
        XCTAssertEqual(table.column("c"), [-300, 0.125])
        XCTAssertEqual(table[1, 2], 0.125)
        XCTAssertEqual(try table.matrix(columns: ["c", "a"]), [-300, 1, 0.125, 4])
    }

    func testNumbersMatchTheStandardLibraryParser() throws {
        let texts = ["0.1", "47.5966666666667", "-1.5e-7", "123456789012345678", "1e300", "2.2250738585072014e-308",
                     "0.30000000000000004", ".5", "5.", "+7", "1E5", "0x1p3", "9007199254740993"]
        let csv = "v\n" + texts.joined(separator: "\n") + "\n"
        let table = try CSVTable.parse(Data(csv.utf8), origin: "n.csv")
        for (text, value) in zip(texts, table.column("v")!) {
            XCTAssertEqual(value.bitPattern, Double(text)!.bitPattern, text)
        }
    }

    func testQuotedFieldsKeepCommasQuotesAndLineBreaks() throws {
        let csv = "name,\"x, y\",note\n\"a, b\",1,\"say \"\"hi\"\"\"\n\"multi\nline\",\"2\",plain\n"
        let table = try CSVTable.parse(Data(csv.utf8), origin: "q.csv", numericColumns: .only(["x, y"]))
        XCTAssertEqual(table.columns, ["x, y"])
        XCTAssertEqual(table.column("x, y"), [1, 2])
        XCTAssertEqual(table.textColumns, ["name", "note"])
        XCTAssertEqual(table.textColumn("name"), ["a, b", "multi\nline"])
        XCTAssertEqual(table.textColumn("note"), ["say \"hi\"", "plain"])
        XCTAssertEqual(table.lineNumbers, [2, 3])
    }

    func testCRLFByteOrderMarkAndBlankLinesAreTolerated() throws {
        let csv = "\u{FEFF}date,T1\r\n2016-01-11 17:00:00,19.89\r\n\r\n2016-01-11 17:10:00,19.89\r\n\r\n  \n"
        let table = try CSVTable.parse(Data(csv.utf8), origin: "e.csv", numericColumns: .allExcept(["date"]))
        XCTAssertEqual(table.columns, ["T1"])
        XCTAssertEqual(table.rows, 2)
        XCTAssertEqual(table.lineNumbers, [2, 4])
        XCTAssertEqual(table.textColumn("date"), ["2016-01-11 17:00:00", "2016-01-11 17:10:00"])
        let noFinalNewline = try CSVTable.parse(Data("a,b\n1,2".utf8), origin: "e.csv")
        XCTAssertEqual(noFinalNewline.column("b"), [2])
    }

    func testNonNumericValueNamesRowAndColumn() {
        let csv = "date,T1,RH_1\n2016-01-11,19.8,47\n2016-01-12,abc,47\n"
        XCTAssertEqual(message(csv, .allExcept(["date"])), "data.csv: row 3, column \"T1\": not a number: \"abc\"")
    }

    func testNaNAndInfinityAreRejectedByName() {
        XCTAssertEqual(message("T1,RH_1\n1,2\n1,2\n1,NaN\n"), "data.csv: row 4, column \"RH_1\": NaN is not allowed")
        XCTAssertEqual(message("T1,RH_1\ninf,2\n"), "data.csv: row 2, column \"T1\": inf is not allowed")
        XCTAssertEqual(message("T1,RH_1\n1,-Infinity\n"), "data.csv: row 2, column \"RH_1\": -inf is not allowed")
        XCTAssertEqual(message("T1\n1e999\n"), "data.csv: row 2, column \"T1\": inf is not allowed")
    }

    func testEmptyNumericFieldIsAMissingValue() {
        XCTAssertEqual(message("a,b\n1,\n"), "data.csv: row 2, column \"b\": missing value (empty field)")
    }

    func testRowNumbersAreFileLineNumbers() {
        // The quoted line break and the blank line both count, as an editor would.
        let csv = "name,v\n\"two\nlines\",1\n\nx,oops\n"
        XCTAssertEqual(message(csv, .only(["v"])), "data.csv: row 5, column \"v\": not a number: \"oops\"")
    }

    func testWrongFieldCountNamesTheRow() {
        XCTAssertEqual(message("a,b,c\n1,2,3\n1,2,3\n1,2,3\n1,2\n"), "data.csv: row 5: expected 3 fields, got 2")
        XCTAssertEqual(message("a,b\n1,2,3\n"), "data.csv: row 2: expected 2 fields, got 3")
    }

    func testBadQuotingIsReported() {
        XCTAssertEqual(message("a,b\n1,\"2\n"), "data.csv: row 2: quoted field 2 is never closed")
        XCTAssertEqual(message("a,b\n\"1\"x,2\n"), "data.csv: row 2: text after the closing quote of field 1")
    }

    func testEmptyFileAndHeaderOnly() {
        XCTAssertEqual(message(""), "data.csv: file is empty")
        XCTAssertEqual(message("\n\n"), "data.csv: file is empty")
        XCTAssertEqual(message("a,b\n"), "data.csv: no data rows")
        XCTAssertEqual(message("a,b\r\n\r\n"), "data.csv: no data rows")
    }

    func testMissingFileAndDirectory() throws {
        let missing = directory.appendingPathComponent("data.csv").path
        XCTAssertThrowsError(try CSVTable.read(path: missing)) { error in
            XCTAssertEqual("\(error)", "\(missing): no such file")
        }
        XCTAssertThrowsError(try CSVTable.read(path: directory.path)) { error in
            XCTAssertEqual("\(error)", "\(directory.path): cannot read: Is a directory")
        }
    }

    func testUnknownColumnListsColumnsAndSuggests() {
        XCTAssertEqual(message("a,b,c\n1,2,3\n", .only(["foo"])), "data.csv: no column \"foo\"; columns are: a, b, c")
        XCTAssertEqual(message("date,T1,RH_1\nx,1,2\n", .allExcept(["Date"])),
                       "data.csv: no column \"Date\" (did you mean \"date\"?); columns are: date, T1, RH_1")
        XCTAssertEqual(message("date,T1,RH_1\nx,1,2\n", .only(["RH1"])),
                       "data.csv: no column \"RH1\" (did you mean \"RH_1\"?); columns are: date, T1, RH_1")
    }

    func testUnknownColumnInMatrixRequest() throws {
        let table = try CSVTable.parse(Data("a,b\n1,2\n".utf8), origin: "data.csv")
        XCTAssertThrowsError(try table.matrix(columns: ["c"])) { error in
            XCTAssertEqual("\(error)", "data.csv: no column \"c\"; columns are: a, b")
        }
    }

    func testDuplicateHeaderIsRejected() {
        XCTAssertEqual(message("a,b,a\n1,2,3\n"), "data.csv: duplicate column \"a\" in the header")
    }

    func testReadsTwentyThousandRowsQuickly() throws {
        let names = ["date"] + (1...28).map { "x\($0)" }
        var text = names.joined(separator: ",") + "\n"
        for row in 0..<20_000 {
            text += "2016-01-11 17:\(row % 60):00"
            for column in 1...28 { text += ",\(Double(row * column % 9973) / 7.0)" }
            text += "\n"
        }
        let path = try file(text, named: "big.csv")
        let start = Date()
        let table = try CSVTable.read(path: path, numericColumns: .allExcept(["date"]))
        let seconds = Date().timeIntervalSince(start)
        XCTAssertEqual(table.rows, 20_000)
        XCTAssertEqual(table.columns.count, 28)
        XCTAssertEqual(table.column("x3")?[12_345], Double(12_345 * 3 % 9973) / 7.0)
        #if !DEBUG
        XCTAssertLessThan(seconds, 1, "reading 20,000 × 29 took \(seconds) s")
        #endif
    }
}
