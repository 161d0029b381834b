import XCTest
@testable import EcaZoo

final class SafetensorsTests: XCTestCase {
    private let tensors: [Safetensors.Tensor] = [
        (name: "encoder.weight", shape: [2, 3], values: [1, -2.5, .pi, 1e-30, -0.0, .greatestFiniteMagnitude]),
        (name: "bias", shape: [3], values: [0.1, 0.2, 0.3]),
        (name: "empty", shape: [0, 4], values: []),
        (name: "scalar", shape: [], values: [42]),
    ]
    private let metadata = ["epoch": "12", "recipe": "homog \"eca\"\n", "format": "eca-zoo"]

    /// The header length field and the parsed JSON header of `data`.
    private func header(of data: Data) throws -> (length: Int, json: [String: Any]) {
        let length = data.prefix(8).enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        let json = try JSONSerialization.jsonObject(with: data.subdata(in: 8..<(8 + length)))
        return (length, try XCTUnwrap(json as? [String: Any]))
    }

    /// A file with `header` as its JSON and `payload` as its data.
    private func file(header: String, payload: [UInt8] = []) -> Data {
        var data = Data()
        withUnsafeBytes(of: UInt64(header.utf8.count).littleEndian) { data.append(contentsOf: $0) }
        data.append(contentsOf: Array(header.utf8))
        data.append(contentsOf: payload)
        return data
    }

    private func message(_ data: Data, file: StaticString = #filePath, line: UInt = #line) -> String {
        do {
            _ = try Safetensors.decode(data, origin: "model.safetensors")
            XCTFail("expected an error", file: file, line: line)
        } catch {
            XCTAssertTrue(error is SafetensorsError, "\(type(of: error))", file: file, line: line)
            return "\(error)"
        }
        return ""
    }

    func testRoundTripKeepsValuesBitForBitShapesOrderAndMetadata() throws {
        let data = Safetensors.encode(tensors: tensors, metadata: metadata)
        let decoded = try Safetensors.decode(data, origin: "model.safetensors")
        XCTAssertEqual(decoded.metadata, metadata)
        XCTAssertEqual(decoded.tensors.map(\.name), tensors.map(\.name))
        for (got, expected) in zip(decoded.tensors, tensors) {
            XCTAssertEqual(got.shape, expected.shape, got.name)
            XCTAssertEqual(got.values.map(\.bitPattern), expected.values.map(\.bitPattern), got.name)
        }
    }

    func testNaNPayloadsSurviveTheRoundTrip() throws {
        let odd = Float(bitPattern: 0x7FC0_1234)
        let data = Safetensors.encode(tensors: [(name: "x", shape: [2], values: [odd, -.infinity])])
        let values = try Safetensors.decode(data, origin: "x").tensors[0].values
        XCTAssertEqual(values.map(\.bitPattern), [0x7FC0_1234, Float(-Float.infinity).bitPattern])
    }

    func testHeaderLengthIsCorrectAndDataIsEightByteAligned() throws {
        for count in 0..<9 {
            let name = String(repeating: "w", count: count + 1)
            let data = Safetensors.encode(tensors: [(name: name, shape: [count], values: .init(repeating: 1, count: count))])
            let (length, json) = try header(of: data)
            XCTAssertEqual(length % 8, 0)
            XCTAssertEqual(data.count, 8 + length + 4 * count)
            let entry = try XCTUnwrap(json[name] as? [String: Any])
            XCTAssertEqual(entry["dtype"] as? String, "F32")
            XCTAssertEqual(entry["shape"] as? [Int], [count])
            XCTAssertEqual(entry["data_offsets"] as? [Int], [0, 4 * count])
        }
    }

    func testLayoutIsLittleEndianFloat32InOrder() throws {
        let data = Safetensors.encode(tensors: [(name: "a", shape: [1], values: [1]), (name: "b", shape: [1], values: [-2])])
        let (length, json) = try header(of: data)
        XCTAssertEqual((json["b"] as? [String: Any])?["data_offsets"] as? [Int], [4, 8])
        XCTAssertEqual(Array(data.suffix(8)), [0x00, 0x00, 0x80, 0x3F, 0x00, 0x00, 0x00, 0xC0])
        XCTAssertEqual(data.count, 8 + length + 8)
    }

    func testEncodingIsDeterministic() {
        let a = Safetensors.encode(tensors: tensors, metadata: metadata)
        let b = Safetensors.encode(tensors: tensors, metadata: Dictionary(uniqueKeysWithValues: metadata.reversed()))
        XCTAssertEqual(a, b)
    }

    func testReadsHeadersInAnyKeyOrderWithoutMetadata() throws {
        let header = #"{"b":{"data_offsets":[4,8],"shape":[1],"dtype":"F32"},"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}"#
        let decoded = try Safetensors.decode(file(header: header, payload: [0, 0, 0x80, 0x3F, 0, 0, 0, 0x40]), origin: "x")
        XCTAssertEqual(decoded.tensors.map(\.name), ["a", "b"])
        XCTAssertEqual(decoded.tensors.map(\.values), [[1], [2]])
        XCTAssertEqual(decoded.metadata, [:])
    }

    func testTruncatedFilesAreReported() {
        let data = Safetensors.encode(tensors: tensors, metadata: metadata)
        XCTAssertEqual(message(data.prefix(5)),
                       "model.safetensors: truncated safetensors file: 5 bytes, but the header length alone takes 8")
        XCTAssertTrue(message(data.prefix(20)).hasPrefix("model.safetensors: truncated safetensors file: the header needs"))
        XCTAssertEqual(message(data.dropLast(1)),
                       "model.safetensors: truncated safetensors file: tensor \"scalar\" ends at data byte 40 "
                           + "but only 39 data bytes follow the header")
    }

    func testAbsurdHeaderLengthIsReported() {
        var data = Data([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F])
        data.append(contentsOf: [UInt8](repeating: 0, count: 16))
        XCTAssertEqual(message(data), "model.safetensors: header length 9223372036854775807 is implausibly large "
                           + "(the file has 16 bytes after the length field); not a safetensors file?")
    }

    func testMalformedHeadersAreReported() {
        XCTAssertEqual(message(file(header: "{not json")), "model.safetensors: bad safetensors header: not valid JSON")
        XCTAssertEqual(message(file(header: "[1, 2]   ")),
                       "model.safetensors: bad safetensors header: the header is not a JSON object")
        XCTAssertEqual(message(file(header: #"{"__metadata__":{"a":1}}"#)),
                       "model.safetensors: bad safetensors header: __metadata__ value for \"a\" is not a string")
        XCTAssertEqual(message(file(header: #"{"w":{"dtype":"F32","data_offsets":[0,0]}}"#)),
                       "model.safetensors: bad safetensors header: tensor \"w\" has no shape of non-negative integers")
    }

    func testOtherDTypesAreRefused() {
        XCTAssertEqual(message(file(header: #"{"w":{"dtype":"F16","shape":[1],"data_offsets":[0,2]}}"#, payload: [0, 0])),
                       "model.safetensors: tensor \"w\" has dtype F16; only F32 is supported")
    }

    func testShapeMustMatchByteCount() {
        XCTAssertEqual(message(file(header: #"{"w":{"dtype":"F32","shape":[2,2],"data_offsets":[0,12]}}"#,
                                    payload: .init(repeating: 0, count: 12))),
                       "model.safetensors: tensor \"w\" has shape [2, 2] (4 values, 16 bytes as F32) but occupies 12 bytes")
    }

    func testOverlappingGappedAndLeftoverRangesAreRefused() {
        let payload = [UInt8](repeating: 0, count: 8)
        XCTAssertEqual(message(file(header: #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"#
                                        + #""b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#, payload: payload)),
                       "model.safetensors: tensor \"b\": data_offsets [4, 8] overlap the previous tensor, which ends at 8")
        XCTAssertEqual(message(file(header: #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#, payload: payload)),
                       "model.safetensors: tensor \"a\": data_offsets [4, 8] leave a gap after byte 0")
        XCTAssertEqual(message(file(header: #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}"#, payload: payload)),
                       "model.safetensors: tensor \"a\": the tensors end at byte 4 but 8 data bytes follow the header")
        XCTAssertEqual(message(file(header: #"{"a":{"dtype":"F32","shape":[0],"data_offsets":[8,4]}}"#, payload: payload)),
                       "model.safetensors: tensor \"a\": data_offsets [8, 4] are not a byte range")
    }

    func testFileHelpersWriteAtomicallyAndNameTheFile() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("st-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("model.safetensors").path
        try Safetensors.write(tensors: tensors, metadata: metadata, to: path)
        XCTAssertEqual(try Safetensors.read(path: path).tensors.map(\.name), tensors.map(\.name))
        try Data([1, 2, 3]).write(to: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try Safetensors.read(path: path)) { error in
            XCTAssertTrue("\(error)".hasPrefix("\(path): truncated"), "\(error)")
        }
    }
}
