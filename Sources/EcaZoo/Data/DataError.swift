/// A problem with a data file, reported as one line that names the file and,
/// where it helps, the 1-based row (the line number in the file) and the column.
///
/// ```text
/// data.csv: row 17, column "T1": not a number: "abc"
/// data.csv: row 5: expected 29 fields, got 28
/// data.csv: no column "T_1" (did you mean "T1"?); columns are: date, T1, RH_1
/// ```
///
/// The message is part of the interface: tests pin its exact text.
public enum DataError: Error, CustomStringConvertible, Equatable {
    /// The file does not exist.
    case noSuchFile(file: String)
    /// The file exists but could not be read (a directory, no permission, ...).
    case unreadable(file: String, reason: String)
    /// The file has no bytes, or only blank lines.
    case emptyFile(file: String)
    /// The file has a header but no data rows.
    case noDataRows(file: String)
    /// Two header fields have the same name, so a column could not be addressed.
    case duplicateColumn(file: String, column: String)
    /// A row has a different number of fields than the header.
    case wrongFieldCount(file: String, row: Int, expected: Int, got: Int)
    /// A numeric column holds text that is not a number.
    case notANumber(file: String, row: Int, column: String, text: String)
    /// A numeric column holds an empty field.
    case missingValue(file: String, row: Int, column: String)
    /// A numeric column holds NaN or an infinity; `value` is the parsed value.
    case notFinite(file: String, row: Int, column: String, value: Double)
    /// A quoted field is not closed, or a closing quote is followed by text.
    case badQuoting(file: String, row: Int, detail: String)
    /// A requested column is not in the file.
    case unknownColumn(file: String, column: String, available: [String])
    /// Any other problem with a data file; `row` and `column` are included when given.
    case invalid(file: String, row: Int?, column: String?, reason: String)

    public var description: String {
        switch self {
        case let .noSuchFile(file):
            return "\(file): no such file"
        case let .unreadable(file, reason):
            return "\(file): cannot read: \(reason)"
        case let .emptyFile(file):
            return "\(file): file is empty"
        case let .noDataRows(file):
            return "\(file): no data rows"
        case let .duplicateColumn(file, column):
            return "\(file): duplicate column \"\(column)\" in the header"
        case let .wrongFieldCount(file, row, expected, got):
            return "\(file): row \(row): expected \(expected) fields, got \(got)"
        case let .notANumber(file, row, column, text):
            return "\(file): row \(row), column \"\(column)\": not a number: \"\(text)\""
        case let .missingValue(file, row, column):
            return "\(file): row \(row), column \"\(column)\": missing value (empty field)"
        case let .notFinite(file, row, column, value):
            let name = value.isNaN ? "NaN" : (value < 0 ? "-inf" : "inf")
            return "\(file): row \(row), column \"\(column)\": \(name) is not allowed"
        case let .badQuoting(file, row, detail):
            return "\(file): row \(row): \(detail)"
        case let .unknownColumn(file, column, available):
            var text = "\(file): no column \"\(column)\""
            if let guess = DataError.closest(to: column, among: available) {
                text += " (did you mean \"\(guess)\"?)"
            }
            return text + "; columns are: " + available.joined(separator: ", ")
        case let .invalid(file, row, column, reason):
            var text = file
            if let row { text += ": row \(row)" }
            if let column { text += (row == nil ? ": " : ", ") + "column \"\(column)\"" }
            return text + ": " + reason
        }
    }

    public static func == (lhs: DataError, rhs: DataError) -> Bool {
        // NaN != NaN would make two identical NaN errors unequal; the message is
        // what callers and tests care about.
        lhs.description == rhs.description
    }

    /// The candidate closest to `name` when it is plausibly a typo: same
    /// letters ignoring case and punctuation, or a small edit distance.
    static func closest(to name: String, among candidates: [String]) -> String? {
        func folded(_ text: String) -> [Character] {
            Array(text.lowercased().filter { $0.isLetter || $0.isNumber })
        }
        let target = folded(name)
        if let same = candidates.first(where: { folded($0) == target && !target.isEmpty }) {
            return same
        }
        let query = name.lowercased()
        let limit = min(3, query.count / 3)
        var best: (name: String, distance: Int)?
        for candidate in candidates {
            let distance = EditDistance.between(query, candidate.lowercased())
            if distance <= limit, distance < (best?.distance ?? Int.max) {
                best = (candidate, distance)
            }
        }
        return best?.name
    }
}
