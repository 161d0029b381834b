/// A GitHub-flavoured Markdown table whose source is aligned too, so it reads
/// well both rendered and as plain text. Columns of numbers are right-aligned.
///
/// ```swift
/// let table = MarkdownTable(headers: ["aggregator", "test MSE"],
///                           rows: [["eca", "0.0123"], ["softmax", "0.0410"]])
/// print(table.render())
/// // | aggregator | test MSE |
/// // | ---------- | -------: |
/// // | eca        |   0.0123 |
/// // | softmax    |   0.0410 |
/// ```
public struct MarkdownTable: Sendable {
    /// Column titles.
    public var headers: [String]
    /// Cells, row by row; a short row is padded with empty cells.
    public var rows: [[String]]

    /// Creates a table.
    ///
    /// - Precondition: No row has more cells than there are headers.
    public init(headers: [String], rows: [[String]]) {
        precondition(rows.allSatisfy { $0.count <= headers.count },
                     "MarkdownTable: a row has more cells than the \(headers.count) headers")
        self.headers = headers
        self.rows = rows
    }

    /// The table as Markdown, one line per row, ending with a newline.
    public func render() -> String {
        let headerCells = headers.map(Self.escape)
        let bodyCells = rows.map { row in
            (0..<headers.count).map { $0 < row.count ? Self.escape(row[$0]) : "" }
        }
        let rightAligned = (0..<headers.count).map { column in
            let cells = bodyCells.map { $0[column] }.filter { !$0.isEmpty }
            return !cells.isEmpty && cells.allSatisfy(Self.isNumeric)
        }
        // GitHub needs at least three dashes in the delimiter row.
        let widths = (0..<headers.count).map { column in
            max(3, headerCells[column].count, bodyCells.map { $0[column].count }.max() ?? 0)
        }

        func line(_ cells: [String]) -> String {
            let padded = cells.enumerated().map { column, cell in
                let padding = String(repeating: " ", count: widths[column] - cell.count)
                return rightAligned[column] ? padding + cell : cell + padding
            }
            return "| " + padded.joined(separator: " | ") + " |\n"
        }
        let delimiter = (0..<headers.count).map { column in
            rightAligned[column] ? String(repeating: "-", count: widths[column] - 1) + ":"
                : String(repeating: "-", count: widths[column])
        }
        return line(headerCells) + line(delimiter) + bodyCells.map(line).joined()
    }

    /// Renders `headers` and `rows` as Markdown; see ``render()``.
    public static func render(headers: [String], rows: [[String]]) -> String {
        MarkdownTable(headers: headers, rows: rows).render()
    }

    /// Whether a cell reads as a number: `12`, `-0.5`, `1.2e-3`, `+3%`, `nan`, `inf`.
    static func isNumeric(_ cell: String) -> Bool {
        var text = Substring(cell)
        if text.hasSuffix("%") { text = text.dropLast() }
        return Double(text) != nil
    }

    /// A cell's text on one line, with pipes that would end the cell escaped.
    private static func escape(_ cell: String) -> String {
        var result = ""
        for character in cell {
            if character == "|" {
                result += "\\|"
            } else if character.isNewline {
                result += " "
            } else {
                result.append(character)
            }
        }
        return result
    }
}
