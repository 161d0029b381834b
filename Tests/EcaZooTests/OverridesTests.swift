import EcaZoo
import XCTest

/// `--set PATH=VALUE`: paths, value parsing, application and messages.
final class OverridesTests: XCTestCase {
    private func apply(_ arguments: [String], to value: JSONValue) throws -> JSONValue {
        try Overrides(arguments).apply(to: value)
    }

    private func message(_ body: () throws -> Void, file: StaticString = #filePath, line: UInt = #line) -> String {
        do {
            try body()
            XCTFail("expected an error", file: file, line: line)
            return ""
        } catch {
            XCTAssertTrue(error is RecipeError, "\(type(of: error))", file: file, line: line)
            return "\(error)"
        }
    }

    func testPaths() throws {
        XCTAssertEqual(try Overrides.parsePath("model.aggregator.type"), [.key("model"), .key("aggregator"), .key("type")])
        XCTAssertEqual(try Overrides.parsePath("a.b[2].c"), [.key("a"), .key("b"), .index(2), .key("c")])
        XCTAssertEqual(try Overrides.parsePath("m[0][1]"), [.key("m"), .index(0), .index(1)])
        XCTAssertEqual(try Overrides.parse("a.b[2].c=1").pathText, "a.b[2].c")
    }

    func testValuesParseAsJSONElseString() throws {
        let cases: [(String, JSONValue)] = [
            ("x=3", 3), ("x=-0.5", -0.5), ("x=1e-3", 0.001), ("x=true", true), ("x=null", nil),
            ("x=[64, 64]", [64, 64]), (#"x={"type": "mean"}"#, ["type": "mean"]), (#"x="123""#, "123"),
            ("x=softmax", "softmax"), ("x=data/train.csv", "data/train.csv"), ("x=", ""),
            ("x=a=b", "a=b"), ("x=True", "True"), ("x=1.2.3", "1.2.3"),
        ]
        for (argument, value) in cases {
            XCTAssertEqual(try Overrides.parse(argument).value, value, argument)
        }
    }

    func testCreatesNestedValues() throws {
        XCTAssertEqual(
            try apply(["model.aggregator.type=softmax", "model.aggregator.t_min=0.2"], to: [:]),
            ["model": ["aggregator": ["type": "softmax", "t_min": 0.2]]])
    }

    func testReplacesInPlaceKeepingOrder() throws {
        let recipe: JSONValue = ["model": ["aggregator": ["type": "mean", "heads": 1], "head": "linear"], "epochs": 10]
        XCTAssertEqual(
            try apply(["model.aggregator.type=softmax", "epochs=3", "model.aggregator.dats=false"], to: recipe),
            ["model": ["aggregator": ["type": "softmax", "heads": 1, "dats": false], "head": "linear"], "epochs": 3])
    }

    func testReplacesWholeSubtree() throws {
        let recipe: JSONValue = ["model": ["aggregator": ["type": "mean", "heads": 1]]]
        XCTAssertEqual(
            try apply([#"model.aggregator={"type": "max"}"#], to: recipe),
            ["model": ["aggregator": ["type": "max"]]])
    }

    func testIndexes() throws {
        let recipe: JSONValue = ["data": ["splits": [0.8, 0.2], "layers": [["width": 8]]]]
        XCTAssertEqual(
            try apply(["data.splits[1]=0.1", "data.splits[2]=0.1", "data.layers[0].width=16"], to: recipe),
            ["data": ["splits": [0.8, 0.1, 0.1], "layers": [["width": 16]]]])
    }

    func testLaterAssignmentWins() throws {
        XCTAssertEqual(try apply(["a=1", "a=2"], to: [:]), ["a": 2])
    }

    // MARK: - Errors

    func testMissingEquals() {
        XCTAssertEqual(
            message { _ = try Overrides(["model.aggregator.type"]) },
            #"--set: expected PATH=VALUE, got "model.aggregator.type""#)
    }

    func testEmptyPath() {
        XCTAssertEqual(message { _ = try Overrides(["=3"]) }, "--set: empty path before '='")
    }

    func testMalformedPaths() {
        XCTAssertEqual(message { _ = try Overrides(["a..b=1"]) }, #"--set: invalid path "a..b": empty key"#)
        XCTAssertEqual(message { _ = try Overrides(["a.=1"]) }, #"--set: invalid path "a.": empty key"#)
        XCTAssertEqual(message { _ = try Overrides(["[0]=1"]) }, #"--set: invalid path "[0]": must start with a key"#)
        XCTAssertEqual(
            message { _ = try Overrides(["a[x]=1"]) },
            #"--set: invalid path "a[x]": index must be a non-negative integer, got "x""#)
        XCTAssertEqual(
            message { _ = try Overrides(["a[-1]=1"]) },
            #"--set: invalid path "a[-1]": index must be a non-negative integer, got "-1""#)
        XCTAssertEqual(message { _ = try Overrides(["a[1=1"]) }, #"--set: invalid path "a[1": missing ']'"#)
        XCTAssertEqual(message { _ = try Overrides(["a[1]b=1"]) }, #"--set: invalid path "a[1]b": expected '.' or '[' after ']'"#)
    }

    func testIndexingANonArray() {
        XCTAssertEqual(
            message { _ = try self.apply(["model.sizes[0]=1"], to: ["model": ["sizes": "big"]]) },
            #"--set: model.sizes: expected an array to index with [0], got string "big""#)
        XCTAssertEqual(
            message { _ = try self.apply(["model.sizes[0]=1"], to: [:]) },
            "--set: model.sizes: expected an array to index with [0], got nothing")
    }

    func testIndexOutOfRange() {
        XCTAssertEqual(
            message { _ = try self.apply(["sizes[3]=1"], to: ["sizes": [1, 2]]) },
            "--set: sizes: index 3 is out of range for an array of 2 elements")
    }

    func testSettingInsideAScalar() {
        XCTAssertEqual(
            message { _ = try self.apply(["optimizer.lr.value=1"], to: ["optimizer": ["lr": 0.1]]) },
            #"--set: optimizer.lr: expected an object to set "value" in, got number 0.1"#)
    }

    func testMalformedJSONValue() {
        XCTAssertEqual(
            message { _ = try Overrides(["sizes=[64, 64"]) },
            "--set: sizes: value [64, 64 is not valid JSON (column 8: unexpected end of file: '[' opened at line 1, column 1 is never closed)")
        XCTAssertEqual(
            message { _ = try Overrides(["sizes=[64,]"]) },
            "--set: sizes: value [64,] is not valid JSON (column 4: trailing comma before ']' is not allowed)")
    }
}
