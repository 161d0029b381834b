import Foundation

/// A CSV file of numbers, held column by column, with the columns that are not
/// numeric (a `date`, an `id`) kept as text.
///
/// The first non-blank line is the header. Fields follow RFC 4180: commas
/// inside double quotes, `""` for a quote inside a quoted field, line breaks
/// inside quotes. Lines may end in LF, CRLF or CR; blank lines are skipped and
/// a UTF-8 byte-order mark is ignored. Numeric fields may have surrounding
/// spaces; empty fields, text, NaN and infinities are errors that name the
/// file, the line and the column.
///
/// ```swift
/// let table = try CSVTable.read(path: "energy.csv", numericColumns: .allExcept(["date"]))
/// let target = table.column("Appliances")!          // [Double], one per row
/// let features = try table.matrix(columns: ["T1", "RH_1"])  // [Float], rows × 2
/// ```
public struct CSVTable {
    /// Which columns must hold numbers.
    public enum ColumnSelection: Equatable, Sendable {
        /// Every column is numeric.
        case all
        /// Every column except these is numeric; these are kept as text.
        case allExcept([String])
        /// Only these columns, in this order, are numeric; the rest are kept as text.
        case only([String])
    }

    /// Where the table came from, used in error messages.
    public let origin: String
    /// Names of the numeric columns: file order, or the order given to `.only`.
    public let columns: [String]
    /// Number of data rows.
    public let rows: Int
    /// Names of the columns kept as text, in file order.
    public let textColumns: [String]
    /// The 1-based line in the file where each row starts, for error messages
    /// about a row found later (blank lines and quoted line breaks make this
    /// differ from `row + 2`).
    public let lineNumbers: [Int]

    // Column-major so that a feature or target is one contiguous array.
    private let numeric: [[Double]]  // [columns.count][rows]
    private let text: [[String]]  // [textColumns.count][rows]

    /// Creates a table from columns already in memory.
    ///
    /// - Parameters:
    ///   - origin: A name for error messages, usually the file.
    ///   - columns: Names of the numeric columns.
    ///   - values: One array per numeric column, all of the same length.
    ///   - textColumns: Names of text columns.
    ///   - text: One array per text column, of that same length.
    ///   - lineNumbers: The file line of each row; `nil` means a header line and then one line per row.
    public init(origin: String, columns: [String], values: [[Double]],
                textColumns: [String] = [], text: [[String]] = [], lineNumbers: [Int]? = nil) {
        precondition(columns.count == values.count,
                     "CSVTable(\(origin)): \(columns.count) column names for \(values.count) columns")
        precondition(textColumns.count == text.count,
                     "CSVTable(\(origin)): \(textColumns.count) text column names for \(text.count) columns")
        let rows = values.first?.count ?? text.first?.count ?? 0
        precondition(values.allSatisfy { $0.count == rows } && text.allSatisfy { $0.count == rows },
                     "CSVTable(\(origin)): columns have different lengths")
        precondition(lineNumbers == nil || lineNumbers!.count == rows,
                     "CSVTable(\(origin)): \(lineNumbers?.count ?? 0) line numbers for \(rows) rows")
        self.origin = origin
        self.columns = columns
        self.rows = rows
        self.textColumns = textColumns
        self.numeric = values
        self.text = text
        self.lineNumbers = lineNumbers ?? (0..<rows).map { $0 + 2 }
    }

    /// The values of numeric column `name`, one per row, or `nil` if there is no such numeric column.
    public func column(_ name: String) -> [Double]? {
        columns.firstIndex(of: name).map { numeric[$0] }
    }

    /// The values of the numeric column at `index` in ``columns``.
    public func column(at index: Int) -> [Double] {
        numeric[index]
    }

    /// The values of text column `name`, one per row, or `nil` if there is no such text column.
    public func textColumn(_ name: String) -> [String]? {
        textColumns.firstIndex(of: name).map { text[$0] }
    }

    /// The value at `row` of the numeric column at index `column`.
    public subscript(row: Int, column: Int) -> Double {
        numeric[column][row]
    }

    /// The named numeric columns as one row-major Float32 buffer, `[rows, names.count]`,
    /// ready to become a tensor.
    ///
    /// - Throws: ``DataError/unknownColumn(file:column:available:)`` for a name
    ///   that is not a numeric column.
    public func matrix(columns names: [String]) throws -> [Float] {
        let indices = try names.map { name -> Int in
            guard let index = columns.firstIndex(of: name) else {
                throw DataError.unknownColumn(file: origin, column: name, available: columns)
            }
            return index
        }
        let width = indices.count
        var result = [Float](repeating: 0, count: rows * width)
        for (j, index) in indices.enumerated() {
            let source = numeric[index]
            for i in 0..<rows { result[i * width + j] = Float(source[i]) }
        }
        return result
    }

    /// `text` as one CSV field: quoted (with `"` doubled) when it holds a comma, quote or line break.
    public static func field(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0.isNewline }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    // MARK: - Reading

    /// Reads and parses the CSV file at `path`.
    ///
    /// - Parameters:
    ///   - path: The file; error messages name it as given.
    ///   - numericColumns: Which columns must hold finite numbers; the others are kept as text.
    ///   - dropRowsWithMissingValues: Skip rows with an empty numeric field instead of failing.
    /// - Throws: ``DataError``, whose message names the file and, for bad
    ///   values, the line number and column.
    public static func read(path: String, numericColumns: ColumnSelection = .all,
                            dropRowsWithMissingValues: Bool = false) throws -> CSVTable {
        let data: Data
        do {
            data = try AtomicFile.read(path)
        } catch let error as FileError {
            if error.code == ENOENT { throw DataError.noSuchFile(file: path) }
            throw DataError.unreadable(file: path, reason: error.reason)
        }
        return try parse(data, origin: path, numericColumns: numericColumns, dropRowsWithMissingValues: dropRowsWithMissingValues)
    }

    /// Parses CSV bytes already in memory.
    ///
    /// - Parameters:
    ///   - data: UTF-8 CSV text.
    ///   - origin: The name used in error messages, usually the file.
    ///   - numericColumns: Which columns must hold finite numbers; the others are kept as text.
    /// - Throws: ``DataError``.
    public static func parse(_ data: Data, origin: String,
                             numericColumns: ColumnSelection = .all, dropRowsWithMissingValues: Bool = false) throws -> CSVTable {
        try data.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) in
            try parse(bytes: bytes, origin: origin, selection: numericColumns, dropMissing: dropRowsWithMissingValues)
        }
    }

    private static func parse(bytes: UnsafeRawBufferPointer, origin: String,
                              selection: ColumnSelection, dropMissing: Bool) throws -> CSVTable {
        var scanner = CSVScanner(bytes: bytes, origin: origin)
        var fields: [CSVScanner.Field] = []
        fields.reserveCapacity(64)

        guard try scanner.nextRecord(into: &fields) != nil else {
            throw DataError.emptyFile(file: origin)
        }
        let header = fields.map { scanner.text(of: $0).trimmingCharacters(in: .whitespaces) }
        var seen = Set<String>()
        for name in header where !seen.insert(name).inserted {
            throw DataError.duplicateColumn(file: origin, column: name)
        }

        // Which header position feeds which numeric or text column.
        var numericNames: [String]
        switch selection {
        case .all:
            numericNames = header
        case let .allExcept(excluded):
            for name in excluded where !seen.contains(name) {
                throw DataError.unknownColumn(file: origin, column: name, available: header)
            }
            numericNames = header.filter { !excluded.contains($0) }
        case let .only(wanted):
            for name in wanted where !seen.contains(name) {
                throw DataError.unknownColumn(file: origin, column: name, available: header)
            }
            numericNames = []
            for name in wanted where !numericNames.contains(name) { numericNames.append(name) }
        }
        let textNames = header.filter { !numericNames.contains($0) }
        let numericSlot = header.map { numericNames.firstIndex(of: $0) }
        let textSlot = header.map { textNames.firstIndex(of: $0) }

        var numeric = [[Double]](repeating: [], count: numericNames.count)
        var text = [[String]](repeating: [], count: textNames.count)
        let estimatedRows = bytes.count / max(scanner.position, 16)
        for index in numeric.indices { numeric[index].reserveCapacity(estimatedRows) }

        var lineNumbers: [Int] = []
        lineNumbers.reserveCapacity(estimatedRows)
        while let line = try scanner.nextRecord(into: &fields) {
            guard fields.count == header.count else {
                throw DataError.wrongFieldCount(file: origin, row: line, expected: header.count, got: fields.count)
            }
            if dropMissing, (0..<fields.count).contains(where: { numericSlot[$0] != nil && scanner.isBlank(fields[$0]) }) {
                continue
            }
            for position in 0..<fields.count {
                let field = fields[position]
                if let slot = numericSlot[position] {
                    numeric[slot].append(try scanner.number(in: field, line: line, column: header[position]))
                } else if let slot = textSlot[position] {
                    text[slot].append(scanner.text(of: field))
                }
            }
            lineNumbers.append(line)
        }
        guard !lineNumbers.isEmpty else { throw DataError.noDataRows(file: origin) }
        return CSVTable(origin: origin, columns: numericNames, values: numeric,
                        textColumns: textNames, text: text, lineNumbers: lineNumbers)
    }
}

/// Splits CSV bytes into records of field ranges without copying them.
private struct CSVScanner {
    /// A field's bytes, between its quotes when it was quoted.
    struct Field {
        var start: Int
        var end: Int
        /// Whether the field contains `""` pairs that stand for one quote.
        var hasDoubledQuotes: Bool
    }

    let bytes: UnsafeRawBufferPointer
    let origin: String
    private(set) var position = 0
    private var line = 1

    private static let comma = UInt8(ascii: ","), quote = UInt8(ascii: "\"")
    private static let newline = UInt8(ascii: "\n"), carriageReturn = UInt8(ascii: "\r")
    private static let space = UInt8(ascii: " "), tab = UInt8(ascii: "\t")

    init(bytes: UnsafeRawBufferPointer, origin: String) {
        self.bytes = bytes
        self.origin = origin
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { position = 3 }
    }

    /// Reads the next non-blank record into `fields` and returns its first line
    /// number, or `nil` at the end of the input.
    mutating func nextRecord(into fields: inout [Field]) throws -> Int? {
        fields.removeAll(keepingCapacity: true)
        let count = bytes.count
        // Skip blank and whitespace-only lines.
        while true {
            var probe = position
            while probe < count, bytes[probe] == Self.space || bytes[probe] == Self.tab { probe += 1 }
            if probe >= count {
                position = count
                return nil
            }
            guard bytes[probe] == Self.newline || bytes[probe] == Self.carriageReturn else { break }
            position = probe
            consumeLineBreak()
        }
        let recordLine = line
        while true {
            if position < count, bytes[position] == Self.quote {
                position += 1
                var field = Field(start: position, end: position, hasDoubledQuotes: false)
                while true {
                    guard position < count else {
                        throw DataError.badQuoting(file: origin, row: recordLine,
                                                   detail: "quoted field \(fields.count + 1) is never closed")
                    }
                    let byte = bytes[position]
                    if byte == Self.quote {
                        if position + 1 < count, bytes[position + 1] == Self.quote {
                            field.hasDoubledQuotes = true
                            position += 2
                            continue
                        }
                        break
                    }
                    if byte == Self.newline || (byte == Self.carriageReturn
                                                && !(position + 1 < count && bytes[position + 1] == Self.newline)) {
                        line += 1
                    }
                    position += 1
                }
                field.end = position
                position += 1
                while position < count, bytes[position] == Self.space || bytes[position] == Self.tab { position += 1 }
                fields.append(field)
                if position >= count { return recordLine }
                let byte = bytes[position]
                if byte == Self.comma {
                    position += 1
                    continue
                }
                guard byte == Self.newline || byte == Self.carriageReturn else {
                    throw DataError.badQuoting(file: origin, row: line,
                                               detail: "text after the closing quote of field \(fields.count)")
                }
                consumeLineBreak()
                return recordLine
            } else {
                let start = position
                while position < count {
                    let byte = bytes[position]
                    if byte == Self.comma || byte == Self.newline || byte == Self.carriageReturn { break }
                    position += 1
                }
                fields.append(Field(start: start, end: position, hasDoubledQuotes: false))
                if position >= count { return recordLine }
                if bytes[position] == Self.comma {
                    position += 1
                    continue
                }
                consumeLineBreak()
                return recordLine
            }
        }
    }

    /// Steps over one LF, CRLF or CR at `position`.
    private mutating func consumeLineBreak() {
        if bytes[position] == Self.carriageReturn, position + 1 < bytes.count, bytes[position + 1] == Self.newline {
            position += 1
        }
        position += 1
        line += 1
    }

    /// The field as a string, with `""` turned back into `"`.
    func text(of field: Field) -> String {
        let string = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[field.start..<field.end]),
                            as: UTF8.self)
        return field.hasDoubledQuotes ? string.replacingOccurrences(of: "\"\"", with: "\"") : string
    }

    /// Whether the field holds nothing but spaces and tabs.
    func isBlank(_ field: Field) -> Bool {
        var i = field.start
        while i < field.end { if bytes[i] != Self.space && bytes[i] != Self.tab { return false }; i += 1 }
        return true
    }

    /// The field as a finite number.
    func number(in field: Field, line: Int, column: String) throws -> Double {
        var start = field.start, end = field.end
        while start < end, bytes[start] == Self.space || bytes[start] == Self.tab { start += 1 }
        while end > start, bytes[end - 1] == Self.space || bytes[end - 1] == Self.tab { end -= 1 }
        guard start < end else { throw DataError.missingValue(file: origin, row: line, column: column) }
        let value: Double
        if let fast = fastDecimal(start, end) {
            value = fast
        } else {
            let trimmed = Field(start: start, end: end, hasDoubledQuotes: field.hasDoubledQuotes)
            let string = text(of: trimmed)
            guard let parsed = Double(string) else {
                let shown = string.count > 40 ? String(string.prefix(40)) + "…" : string
                throw DataError.notANumber(file: origin, row: line, column: column, text: shown)
            }
            value = parsed
        }
        guard value.isFinite else {
            throw DataError.notFinite(file: origin, row: line, column: column, value: value)
        }
        return value
    }

    private static let exactPowersOfTen: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ]

    /// Parses plain decimals such as `-12.25` or `3.5e-4` when the result is
    /// exact by Clinger's fast path (at most 2^53 significand, power of ten at
    /// most 10^22), which covers nearly every value in a data file; anything
    /// else returns `nil` and goes to the standard library's full parser.
    private func fastDecimal(_ start: Int, _ end: Int) -> Double? {
        var index = start
        var negative = false
        if bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") {
            negative = bytes[index] == UInt8(ascii: "-")
            index += 1
        }
        let integerStart = index
        var significand: UInt64 = 0
        var digits = 0
        var exponent = 0
        while index < end, bytes[index] &- 48 < 10 {
            if digits < 19 { significand = significand &* 10 &+ UInt64(bytes[index] &- 48) } else { return nil }
            if significand != 0 { digits += 1 }
            index += 1
        }
        var sawDigit = index > integerStart
        if index < end, bytes[index] == UInt8(ascii: ".") {
            index += 1
            while index < end, bytes[index] &- 48 < 10 {
                if digits < 19 { significand = significand &* 10 &+ UInt64(bytes[index] &- 48) } else { return nil }
                if significand != 0 { digits += 1 }
                exponent -= 1
                index += 1
                sawDigit = true
            }
        }
        guard sawDigit else { return nil }
        if index < end, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            var exponentNegative = false
            if index < end, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") {
                exponentNegative = bytes[index] == UInt8(ascii: "-")
                index += 1
            }
            var written = 0
            var exponentDigits = 0
            while index < end, bytes[index] &- 48 < 10 {
                if written > 10_000 { return nil }
                written = written * 10 + Int(bytes[index] &- 48)
                exponentDigits += 1
                index += 1
            }
            guard exponentDigits > 0 else { return nil }
            exponent += exponentNegative ? -written : written
        }
        guard index == end, significand < (1 << 53) else { return nil }
        var value = Double(significand)
        if exponent < 0 {
            guard -exponent <= 22 else { return nil }
            value /= Self.exactPowersOfTen[-exponent]
        } else {
            guard exponent <= 22 else { return nil }
            value *= Self.exactPowersOfTen[exponent]
        }
        return negative ? -value : value
    }
}
