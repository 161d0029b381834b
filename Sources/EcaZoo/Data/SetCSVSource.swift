import Foundation

/// Sets stored one element per CSV row: a set-id column, feature columns and a
/// target column whose value is repeated on every row of a set.
///
///     set,x0,x1,target
///     a,0.1,0.3,1.5
///     a,0.2,0.1,1.5
///     b,0.9,0.4,-0.2
///
/// Rows of one set need not be adjacent; sets keep the order of first appearance.
public struct SetCSVSource {
    public var path: String
    public var setColumn = "set"
    public var targetColumn = "target"
    /// Feature columns; empty = every numeric column except the set id and target.
    public var features: [String] = []
    /// Whether the file must have a target column (false for `predict` inputs).
    public var requireTarget = true

    public init(path: String) { self.path = path }

    public func load() throws -> SetDataset {
        let table = try CSVTable.read(path: path, numericColumns: .allExcept([setColumn]))
        guard let ids = table.textColumn(setColumn) else {
            throw DataError.unknownColumn(file: path, column: setColumn, available: table.columns + table.textColumns)
        }
        let featureNames = features.isEmpty ? table.columns.filter { $0 != targetColumn } : features
        let x = try table.matrix(columns: featureNames)          // [rows, F]
        let target = table.column(targetColumn)
        if requireTarget && target == nil {
            throw DataError.unknownColumn(file: path, column: targetColumn, available: table.columns)
        }
        // Zero features would train a model on nothing without complaint.
        guard !featureNames.isEmpty else {
            throw DataError.invalid(file: path, row: nil, column: nil,
                                    reason: "no feature columns besides the set id \"\(setColumn)\" and the target \"\(targetColumn)\"")
        }
        let f = featureNames.count
        var order: [String] = []
        var rowsOf: [String: [Int]] = [:]
        for (r, id) in ids.enumerated() {
            if rowsOf[id] == nil { order.append(id) }
            rowsOf[id, default: []].append(r)
        }
        var elements: [Float] = []
        elements.reserveCapacity(x.count)
        var offsets = [0]
        var targets: [Float] = []
        for id in order {
            let rows = rowsOf[id]!
            for r in rows { elements.append(contentsOf: x[(r * f)..<((r + 1) * f)]) }
            offsets.append(offsets.last! + rows.count)
            if let t = target {
                let v = t[rows[0]]
                if let bad = rows.first(where: { t[$0] != v }) {
                    throw DataError.invalid(file: path, row: table.lineNumbers[bad], column: targetColumn,
                                            reason: "set \"\(id)\" has different targets (\(v) and \(t[bad]))")
                }
                targets.append(Float(v))
            } else {
                targets.append(0)
            }
        }
        var data = SetDataset(featureWidth: f, elements: elements, offsets: offsets, targets: targets, featureNames: featureNames)
        data.sampleIDs = order
        data.hasTargets = target != nil
        return data
    }
}
