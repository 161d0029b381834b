import XCTest
@testable import EcaZoo

final class MarkdownTableTests: XCTestCase {
    func testColumnsAreAlignedAndNumbersRightAligned() {
        let text = MarkdownTable.render(headers: ["aggregator", "test MSE", "epochs"],
                                        rows: [["eca", "0.0123", "40"], ["softmax", "0.041", "7"]])
        XCTAssertEqual(text, """
            | aggregator | test MSE | epochs |
            | ---------- | -------: | -----: |
            | eca        |   0.0123 |     40 |
            | softmax    |    0.041 |      7 |

            """)
    }

    func testPipesAreEscapedAndShortRowsPadded() {
        let text = MarkdownTable(headers: ["name", "note"], rows: [["a|b"], ["c", "line\nbreak"]]).render()
        let lines = text.split(separator: "\n")
        XCTAssertEqual(lines[2], "| a\\|b |            |")
        XCTAssertEqual(lines[3], "| c    | line break |")
    }

    func testNumericDetectionAcceptsPercentScientificAndBlanks() {
        XCTAssertTrue(MarkdownTable.isNumeric("12.5%"))
        XCTAssertTrue(MarkdownTable.isNumeric("-1.2e-3"))
        XCTAssertFalse(MarkdownTable.isNumeric("eca"))
        let text = MarkdownTable.render(headers: ["x"], rows: [["1"], [""], ["2.5e-3"]])
        XCTAssertTrue(text.contains("| -----: |"), text)
    }
}
