import XCTest
@testable import EcaZoo

final class AtomicFileTests: XCTestCase {
    private var directory: String!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("atomic-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: directory)
    }

    private func contents() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
    }

    func testWriteCreatesThenReplacesAndLeavesNoTemporaryFiles() throws {
        let path = directory + "/metrics.json"
        try AtomicFile.write(Data("first, longer contents".utf8), to: path)
        XCTAssertEqual(try AtomicFile.read(path), Data("first, longer contents".utf8))
        try AtomicFile.write(Data("second".utf8), to: path, durable: false)
        XCTAssertEqual(String(decoding: try AtomicFile.read(path), as: UTF8.self), "second")
        XCTAssertEqual(try contents(), ["metrics.json"])
    }

    func testReplacingKeepsPermissionBits() throws {
        let path = directory + "/run.sh"
        try AtomicFile.write(Data("a".utf8), to: path)
        try FileManager.default.setAttributes([.posixPermissions: 0o750], ofItemAtPath: path)
        try AtomicFile.write(Data("b".utf8), to: path)
        let permissions = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        XCTAssertEqual(permissions, 0o750)
    }

    func testWriteWithRelativePathUsesTheCurrentDirectory() throws {
        let previous = FileManager.default.currentDirectoryPath
        XCTAssertTrue(FileManager.default.changeCurrentDirectoryPath(directory))
        defer { _ = FileManager.default.changeCurrentDirectoryPath(previous) }
        try AtomicFile.write(Data("x".utf8), to: "relative.txt")
        XCTAssertEqual(try contents(), ["relative.txt"])
    }

    func testWriteIntoUnwritableLocationNamesThePath() throws {
        // Tests may run as root, which ignores permission bits, so make the
        // parent a regular file instead.
        let blocker = directory + "/not-a-directory"
        try AtomicFile.write(Data(), to: blocker)
        let path = blocker + "/model.safetensors"
        XCTAssertThrowsError(try AtomicFile.write(Data("x".utf8), to: path)) { error in
            XCTAssertEqual("\(error)", "cannot write \(path): Not a directory")
            XCTAssertEqual((error as? FileError)?.code, ENOTDIR)
        }
        let missing = directory + "/no/such/dir/file.json"
        XCTAssertThrowsError(try AtomicFile.write(Data(), to: missing)) { error in
            XCTAssertEqual("\(error)", "cannot write \(missing): No such file or directory")
        }
        XCTAssertEqual(try contents(), ["not-a-directory"])
    }

    func testWriteOverADirectoryFailsAndCleansUp() throws {
        try FileManager.default.createDirectory(atPath: directory + "/target", withIntermediateDirectories: false)
        try Data("x".utf8).write(to: URL(fileURLWithPath: directory + "/target/inside"))
        XCTAssertThrowsError(try AtomicFile.write(Data("x".utf8), to: directory + "/target")) { error in
            XCTAssertTrue("\(error)".hasPrefix("cannot write \(self.directory!)/target: "), "\(error)")
        }
        XCTAssertEqual(try contents(), ["target"])
    }

    func testAppendLineAddsOneLineEach() throws {
        let path = directory + "/metrics.jsonl"
        try AtomicFile.appendLine(#"{"epoch":1}"#, to: path)
        try AtomicFile.appendLine("{\"epoch\":2}\n", to: path, sync: true)
        XCTAssertEqual(String(decoding: try AtomicFile.read(path), as: UTF8.self), "{\"epoch\":1}\n{\"epoch\":2}\n")
    }

    func testConcurrentAppendsStayWhole() throws {
        let path = directory + "/log.jsonl"
        let line = String(repeating: "x", count: 2000)
        DispatchQueue.concurrentPerform(iterations: 8) { worker in
            for index in 0..<50 { try? AtomicFile.appendLine("\(worker) \(index) \(line)", to: path) }
        }
        let lines = String(decoding: try AtomicFile.read(path), as: UTF8.self).split(separator: "\n")
        XCTAssertEqual(lines.count, 400)
        XCTAssertTrue(lines.allSatisfy { $0.hasSuffix(line) && $0.split(separator: " ").count == 3 })
    }

    func testAppendAndReadNameThePathOnFailure() {
        let path = directory + "/missing/log.jsonl"
        XCTAssertThrowsError(try AtomicFile.appendLine("{}", to: path)) { error in
            XCTAssertEqual("\(error)", "cannot append \(path): No such file or directory")
        }
        XCTAssertThrowsError(try AtomicFile.read(path)) { error in
            XCTAssertEqual("\(error)", "cannot read \(path): No such file or directory")
        }
        XCTAssertThrowsError(try AtomicFile.read(directory)) { error in
            XCTAssertEqual("\(error)", "cannot read \(self.directory!): Is a directory")
        }
    }

    func testReadsLargeFilesWhole() throws {
        let path = directory + "/big.bin"
        let data = Data((0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        try AtomicFile.write(data, to: path)
        XCTAssertEqual(try AtomicFile.read(path), data)
    }
}
