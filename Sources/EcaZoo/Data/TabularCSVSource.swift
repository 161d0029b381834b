/// A table as sets of feature tokens: each row becomes one set whose elements are
/// its features, element `j` being `[x_j·e_j, e_j]` (the value in feature `j`'s slot
/// plus a one-hot slot marker), so a linear tokenizer computes FT-Transformer's
/// per-feature embedding `x_j·W_j + b_j` and attention pools over features.
public struct TabularCSVSource {
    public var path: String
    public var targetColumn: String
    /// Feature columns; empty = every column except the target and `exclude`.
    public var features: [String] = []
    /// Columns to ignore (e.g. a date column or known noise columns).
    public var exclude: [String] = []

    public init(path: String, targetColumn: String) {
        self.path = path
        self.targetColumn = targetColumn
    }

    public func load() throws -> SetDataset {
        let table = try CSVTable.read(path: path, numericColumns: features.isEmpty ? .allExcept(exclude) : .only(features + [targetColumn]))
        guard let target = table.column(targetColumn) else {
            throw DataError.unknownColumn(file: path, column: targetColumn, available: table.columns)
        }
        let names = features.isEmpty ? table.columns.filter { $0 != targetColumn && !exclude.contains($0) } : features
        guard !names.isEmpty else {
            throw DataError.invalid(file: path, row: nil, column: nil, reason: "no feature columns left after excluding the target and \(exclude)")
        }
        let x = try table.matrix(columns: names)   // [rows, F]
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
        return data
    }
}
