import XCTest
@testable import EcaZoo

final class FileErrorTests: XCTestCase {
    func testMessageNamesOperationPathAndReason() {
        XCTAssertEqual(FileError(.write, path: "runs/a/summary.json", code: EACCES).description,
                       "cannot write runs/a/summary.json: Permission denied")
        XCTAssertEqual(FileError(.createDirectory, path: "runs", code: ENOTDIR).description,
                       "cannot create directory runs: Not a directory")
    }
}
