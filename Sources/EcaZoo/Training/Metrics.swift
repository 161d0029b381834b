/// Evaluation metrics of predictions against targets, in target units, computed in Double.
public struct Metrics: Equatable {
    public var mse: Double
    public var rmse: Double
    public var mae: Double
    public var pcc: Double
    public var spearman: Double
    /// Population standard deviation of the predictions, σ_ŷ.
    public var sigmaPred: Double

    public init(mse: Double, rmse: Double, mae: Double, pcc: Double, spearman: Double, sigmaPred: Double) {
        self.mse = mse; self.rmse = rmse; self.mae = mae; self.pcc = pcc; self.spearman = spearman; self.sigmaPred = sigmaPred
    }

    public init(predictions p: [Float], targets y: [Float]) {
        precondition(p.count == y.count, "Metrics: \(p.count) predictions for \(y.count) targets")
        let n = Double(max(p.count, 1))
        var se = 0.0, ae = 0.0
        for i in p.indices { let d = Double(p[i]) - Double(y[i]); se += d * d; ae += abs(d) }
        mse = se / n
        rmse = mse.squareRoot()
        mae = ae / n
        pcc = Metrics.pearson(p.map(Double.init), y.map(Double.init))
        spearman = Metrics.pearson(Metrics.ranks(p), Metrics.ranks(y))
        let mp = p.reduce(0.0) { $0 + Double($1) } / n
        sigmaPred = (p.reduce(0.0) { $0 + (Double($1) - mp) * (Double($1) - mp) } / n).squareRoot()
    }

    /// Pearson correlation; 0 when either side is constant.
    public static func pearson(_ a: [Double], _ b: [Double]) -> Double {
        let n = Double(a.count)
        guard a.count > 1 else { return 0 }
        let ma = a.reduce(0, +) / n, mb = b.reduce(0, +) / n
        var cov = 0.0, va = 0.0, vb = 0.0
        for i in a.indices {
            let x = a[i] - ma, y = b[i] - mb
            cov += x * y; va += x * x; vb += y * y
        }
        return va > 0 && vb > 0 ? cov / (va * vb).squareRoot() : 0
    }

    /// Fractional ranks (ties share the mean rank), for Spearman's ρ.
    public static func ranks(_ v: [Float]) -> [Double] {
        let order = v.indices.sorted { v[$0] < v[$1] }
        var r = [Double](repeating: 0, count: v.count)
        var i = 0
        while i < order.count {
            var j = i
            while j + 1 < order.count && v[order[j + 1]] == v[order[i]] { j += 1 }
            let rank = Double(i + j) / 2 + 1
            for k in i...j { r[order[k]] = rank }
            i = j + 1
        }
        return r
    }
}
