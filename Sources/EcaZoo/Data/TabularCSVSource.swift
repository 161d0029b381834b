import Foundation

/// A table as sets of feature tokens: each row becomes one set whose elements are
/// its features, element `j` being `[x_j·e_j, e_j]` (the value in feature `j`'s slot
/// plus a one-hot slot marker), so a linear tokenizer computes FT-Transformer's
/// per-feature embedding `x_j·W_j + b_j` and attention pools over features.
public struct TabularCSVSource {
    public var path: String
    public var targetColumn: String
    /// Feature columns; empty = every column except the target and `exclude`.
    public var features: [String] = []
    /// Columns to ignore (e.g. known noise columns).
    public var exclude: [String] = []
    /// A date/time column turned into cyclic features: time of day and day of
    /// week as (sin, cos) pairs, four feature tokens in all.
    public var dateColumn: String?
    /// Whether the table must have the target column (false for `predict` inputs; targets are then 0).
    public var requireTarget = true
    /// Rows with an empty numeric field: refused (false, the default) or dropped.
    public var dropRowsWithMissingValues = false
    /// Its format, in `DateFormatter` notation (UTC).
    public var dateFormat = "yyyy-MM-dd HH:mm:ss"

    public init(path: String, targetColumn: String) {
        self.path = path
        self.targetColumn = targetColumn
    }

    public func load() throws -> SetDataset {
        let nonNumeric = exclude + (dateColumn.map { [$0] } ?? [])
        let table = try CSVTable.read(path: path, numericColumns: features.isEmpty ? .allExcept(nonNumeric) : .only(features + [targetColumn]),
                                      dropRowsWithMissingValues: dropRowsWithMissingValues)
        let target: [Double]
        if let t = table.column(targetColumn) {
            target = t
        } else if requireTarget {
            throw DataError.unknownColumn(file: path, column: targetColumn, available: table.columns)
        } else {
            target = [Double](repeating: 0, count: table.rows)
        }
        var names = features.isEmpty ? table.columns.filter { $0 != targetColumn && !exclude.contains($0) } : features
        var x = names.isEmpty ? [] : try table.matrix(columns: names)   // [rows, F]
        if let dateColumn {
            let cyclic = try dateFeatures(table, column: dateColumn)     // [rows, 4]
            var merged: [Float] = []
            merged.reserveCapacity(table.rows * (names.count + 4))
            for r in 0..<table.rows {
                merged.append(contentsOf: x[(r * names.count)..<((r + 1) * names.count)])
                merged.append(contentsOf: cyclic[(r * 4)..<((r + 1) * 4)])
            }
            x = merged
            names += ["hour_sin", "hour_cos", "weekday_sin", "weekday_cos"]
        }
        guard !names.isEmpty else {
            throw DataError.invalid(file: path, row: nil, column: nil, reason: "no feature columns left after excluding the target and \(exclude)")
        }
        let f = names.count, w = 2 * f
        var elements = [Float](repeating: 0, count: table.rows * f * w)
        elements.withUnsafeMutableBufferPointer { e in
            for r in 0..<table.rows {
                for j in 0..<f {
                    let base = (r * f + j) * w
                    e[base + j] = x[r * f + j]
                    e[base + f + j] = 1
                }
            }
        }
        var data = SetDataset(featureWidth: w, elements: elements, offsets: (0...table.rows).map { $0 * f },
                              targets: target.map(Float.init), featureNames: names + names.map { "is_\($0)" })
        data.positional = true
        data.sampleIDs = (0..<table.rows).map { String($0 + 1) }
        data.hasTargets = table.column(targetColumn) != nil
        return data
    }

    /// Time of day and day of week of `column`, each as a (sin, cos) pair.
    func dateFeatures(_ table: CSVTable, column: String) throws -> [Float] {
        guard let texts = table.textColumn(column) else {
            throw DataError.unknownColumn(file: path, column: column, available: table.columns + table.textColumns)
        }
        let parser = DateFormatter()
        parser.locale = Locale(identifier: "en_US_POSIX")
        parser.timeZone = TimeZone(identifier: "UTC")
        parser.dateFormat = dateFormat
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        var out = [Float]()
        out.reserveCapacity(texts.count * 4)
        for (r, text) in texts.enumerated() {
            guard let date = parser.date(from: text) else {
                throw DataError.invalid(file: path, row: table.lineNumbers[r], column: column,
                                        reason: "not a date in the format \"\(dateFormat)\": \"\(text)\"")
            }
            let c = calendar.dateComponents([.hour, .minute, .second, .weekday], from: date)
            let day = (Double(c.hour ?? 0) * 3600 + Double(c.minute ?? 0) * 60 + Double(c.second ?? 0)) / 86_400
            let week = Double((c.weekday ?? 1) - 1) / 7
            out += [Float(sin(2 * .pi * day)), Float(cos(2 * .pi * day)), Float(sin(2 * .pi * week)), Float(cos(2 * .pi * week))]
        }
        return out
    }
}
