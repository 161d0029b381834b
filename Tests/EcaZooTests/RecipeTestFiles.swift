import EcaZoo
import Foundation
import XCTest

/// Temporary recipe files for tests, each in a fresh folder under the
/// system's temporary directory, removed when the test ends.
enum RecipeTestFiles {
    /// A new empty folder, removed after the current test.
    static func makeFolder(for test: XCTestCase) throws -> URL {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("eca-zoo-recipe-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        test.addTeardownBlock { try? FileManager.default.removeItem(at: folder) }
        return folder
    }

    /// Writes `bytes` to `name` in a new folder and returns its path.
    static func write(_ bytes: [UInt8], name: String = "x.json", for test: XCTestCase) throws -> String {
        let url = try makeFolder(for: test).appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url.path
    }

    /// Writes `text` to `name` in a new folder and returns its path.
    static func write(_ text: String, name: String = "x.json", for test: XCTestCase) throws -> String {
        try write(Array(text.utf8), name: name, for: test)
    }

    /// The description of the error that parsing `path` throws, with the
    /// folder removed so the text can be pinned: `x.json:3:9: …`.
    static func parseError(
        atPath path: String, file: StaticString = #filePath, line: UInt = #line
    ) -> String {
        do {
            let value = try JSONParser.parse(file: path)
            XCTFail("expected an error, parsed \(value)", file: file, line: line)
            return ""
        } catch let error as RecipeError {
            XCTAssertEqual(error.file, path, file: file, line: line)
            let folder = (path as NSString).deletingLastPathComponent + "/"
            return error.description.replacingOccurrences(of: folder, with: "")
        } catch {
            XCTFail("expected a RecipeError, got \(error)", file: file, line: line)
            return ""
        }
    }
}
