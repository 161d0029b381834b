import EcaZoo
import XCTest

/// Accessors, ordered objects and merging.
final class JSONValueTests: XCTestCase {
    func testAccessors() {
        let value: JSONValue = ["n": 2, "x": 2.5, "s": "a", "b": true, "l": [1], "o": ["k": nil]]
        XCTAssertEqual(value["n"]?.intValue, 2)
        XCTAssertNil(value["x"]?.intValue)
        XCTAssertEqual(value["x"]?.doubleValue, 2.5)
        XCTAssertEqual(value["s"]?.stringValue, "a")
        XCTAssertEqual(value["b"]?.boolValue, true)
        XCTAssertEqual(value["l"]?.arrayValue, [1])
        XCTAssertEqual(value["l"]?[0], 1)
        XCTAssertNil(value["l"]?[1])
        XCTAssertEqual(value["o"]?["k"]?.isNull, true)
        XCTAssertNil(value["missing"])
        XCTAssertEqual(value.typeName, "object")
        XCTAssertEqual(["null", "boolean", "number", "string", "array", "object"],
                       [JSONValue.null, true, 1, "a", [], [:]].map(\.typeName))
    }

    func testBriefDescription() {
        XCTAssertEqual(JSONValue.number(-1).briefDescription, "number -1")
        XCTAssertEqual(JSONValue.string("abc").briefDescription, "string \"abc\"")
        XCTAssertEqual(JSONValue.array([1]).briefDescription, "array")
        XCTAssertEqual(JSONValue.null.briefDescription, "null")
    }

    func testObjectKeepsOrderAndRemoves() {
        var object: JSONObject = ["b": 1, "a": 2]
        object["c"] = 3
        object["b"] = 4
        XCTAssertEqual(object.keys, ["b", "a", "c"])
        XCTAssertEqual(object["b"], 4)
        object["a"] = nil
        XCTAssertEqual(object.keys, ["b", "c"])
        XCTAssertEqual(object.map(\.key), ["b", "c"])
        XCTAssertEqual(object.values, [4, 3])
        let xy: JSONObject = ["x": 1, "y": 2]
        let yx: JSONObject = ["y": 2, "x": 1]
        XCTAssertNotEqual(xy, yx)
    }

    func testMerge() {
        let preset: JSONValue = ["encoder": ["width": 64, "depth": 2], "aggregator": ["type": "mean"], "head": "linear"]
        let patch: JSONValue = ["aggregator": ["type": "softmax", "t_min": 0.1], "encoder": ["depth": 3], "extra": 1]
        XCTAssertEqual(
            preset.merged(with: patch),
            [
                "encoder": ["width": 64, "depth": 3], "aggregator": ["type": "softmax", "t_min": 0.1],
                "head": "linear", "extra": 1,
            ])
        let arrays: JSONValue = ["a": [1, 2]]
        XCTAssertEqual(arrays.merged(with: ["a": [3]]), ["a": [3]])
    }
}
