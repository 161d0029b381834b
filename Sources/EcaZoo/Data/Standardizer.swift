/// Per-feature and target standardisation fitted on the training split only,
/// so no statistic of validation or test data leaks into training.
///
/// For positional data (a table's feature tokens) statistics are kept per
/// (position, feature): `featureMean` then has `positions × width` entries, and
/// columns that are constant at a position (slot markers, zeros) are left as they are.
public struct Standardizer {
    public var featureMean: [Float]
    public var featureStd: [Float]
    public var targetMean: Float
    public var targetStd: Float

    /// The identity transform for `width` features.
    public static func identity(width: Int) -> Standardizer {
        Standardizer(featureMean: .init(repeating: 0, count: width), featureStd: .init(repeating: 1, count: width), targetMean: 0, targetStd: 1)
    }

    /// Fits on `data`; constant features keep scale 1 so they map to 0 rather than NaN.
    public static func fit(_ data: SetDataset, features: Bool, target: Bool) -> Standardizer {
        let f = data.featureWidth
        var s = identity(width: f)
        if features && data.positional && data.count > 0 {
            let n = data.size(0), cols = n * f
            var sum = [Double](repeating: 0, count: cols), sq = [Double](repeating: 0, count: cols)
            for set in 0..<data.count {
                let base = data.offsets[set] * f
                for c in 0..<cols { let v = Double(data.elements[base + c]); sum[c] += v; sq[c] += v * v }
            }
            s = identity(width: cols)
            let count = Double(data.count)
            for c in 0..<cols {
                let m = sum[c] / count, sd = max(sq[c] / count - m * m, 0).squareRoot()
                if sd > 1e-12 { s.featureMean[c] = Float(m); s.featureStd[c] = Float(sd) }
            }
        } else if features {
            var sum = [Double](repeating: 0, count: f), sq = [Double](repeating: 0, count: f)
            let rows = data.elements.count / max(f, 1)
            for r in 0..<rows { for j in 0..<f { let v = Double(data.elements[r * f + j]); sum[j] += v; sq[j] += v * v } }
            for j in 0..<f where rows > 0 {
                let m = sum[j] / Double(rows)
                let sd = max(sq[j] / Double(rows) - m * m, 0).squareRoot()
                s.featureMean[j] = Float(m)
                s.featureStd[j] = sd > 1e-12 ? Float(sd) : 1
            }
        }
        if target, data.count > 0 {
            let m = data.targets.reduce(0.0) { $0 + Double($1) } / Double(data.count)
            let v = data.targets.reduce(0.0) { $0 + (Double($1) - m) * (Double($1) - m) } / Double(data.count)
            s.targetMean = Float(m)
            s.targetStd = v > 1e-24 ? Float(v.squareRoot()) : 1
        }
        return s
    }

    /// The transformed copy of `data`.
    public func apply(_ data: SetDataset) -> SetDataset {
        var out = data
        // Positional statistics repeat every set (all sets have the same size).
        let f = featureMean.count
        out.elements.withUnsafeMutableBufferPointer { e in
            for r in 0..<(e.count / max(f, 1)) { for j in 0..<f { e[r * f + j] = (e[r * f + j] - featureMean[j]) / featureStd[j] } }
        }
        for i in out.targets.indices { out.targets[i] = (out.targets[i] - targetMean) / targetStd }
        return out
    }

    /// Maps a standardised prediction back to target units.
    @inline(__always) public func unscaleTarget(_ v: Float) -> Float { v * targetStd + targetMean }
}
