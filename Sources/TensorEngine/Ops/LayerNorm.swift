import Foundation

extension Tensor {
    /// Layer normalisation over the last axis with learned scale `gamma` and shift `beta` (both `[D]`).
    /// Fused forward and backward: one pass for statistics, one for the output.
    public func layerNorm(gamma: Tensor, beta: Tensor, epsilon: Float = 1e-5) -> Tensor {
        let x = self
        let d = shape[rank - 1], rows = count / Swift.max(d, 1)
        precondition(gamma.shape == [d] && beta.shape == [d], "layerNorm: input \(shape) needs gamma and beta of shape [\(d)], got \(gamma.shape) and \(beta.shape)")
        let y = Tensor.uninitialized(shape)
        var xhat = [Float](repeating: 0, count: count)
        var rstd = [Float](repeating: 0, count: rows)
        let px = storage.data, py = y.storage.data, pgm = gamma.storage.data, pbt = beta.storage.data
        xhat.withUnsafeMutableBufferPointer { xh in
            for r in 0..<rows {
                let row = px + r * d
                var m: Float = 0
                for j in 0..<d { m += row[j] }
                m /= Float(d)
                var v: Float = 0
                for j in 0..<d { let c = row[j] - m; v += c * c }
                let rs = 1 / (v / Float(d) + epsilon).squareRoot()
                rstd[r] = rs
                for j in 0..<d {
                    let h = (row[j] - m) * rs
                    xh[r * d + j] = h
                    py[r * d + j] = h * pgm[j] + pbt[j]
                }
            }
        }
        return Tensor.record("layerNorm", y, [x, gamma, beta]) { g in
            let pg = g.storage.data
            if let ng = gamma.node {
                let dg = Tensor.zeros([d])
                let p = dg.storage.data
                for r in 0..<rows { for j in 0..<d { p[j] += pg[r * d + j] * xhat[r * d + j] } }
                ng.accumulate(dg)
            }
            if let nb = beta.node {
                let db = Tensor.zeros([d])
                let p = db.storage.data
                for r in 0..<rows { for j in 0..<d { p[j] += pg[r * d + j] } }
                nb.accumulate(db)
            }
            if let nx = x.node {
                // dx = rstd · (dŷ − mean(dŷ) − x̂ · mean(dŷ ⊙ x̂)), with dŷ = g ⊙ gamma
                let dx = Tensor.uninitialized(x.shape)
                let p = dx.storage.data
                for r in 0..<rows {
                    var s1: Float = 0, s2: Float = 0
                    for j in 0..<d {
                        let dh = pg[r * d + j] * pgm[j]
                        s1 += dh; s2 += dh * xhat[r * d + j]
                    }
                    s1 /= Float(d); s2 /= Float(d)
                    for j in 0..<d {
                        let dh = pg[r * d + j] * pgm[j]
                        p[r * d + j] = rstd[r] * (dh - s1 - xhat[r * d + j] * s2)
                    }
                }
                nx.accumulate(dx)
            }
        }
    }
}
