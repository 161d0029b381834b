import Foundation

extension Tensor {
    /// Numerically stable softmax along `axis`. Rows whose entries are all −∞
    /// (fully masked sets) produce zeros rather than NaN.
    public func softmax(axis: Int = -1) -> Tensor {
        let x = self
        let (outer, n, inner, _) = axisSplit(axis, "softmax")
        let y = Tensor.uninitialized(shape)
        let px = storage.data, py = y.storage.data
        for o in 0..<outer {
            for i in 0..<inner {
                let base = o * n * inner + i
                var m = -Float.infinity
                for j in 0..<n { m = Swift.max(m, px[base + j * inner]) }
                if m == -.infinity {
                    for j in 0..<n { py[base + j * inner] = 0 }
                    continue
                }
                var s: Float = 0
                for j in 0..<n { let e = Foundation.exp(px[base + j * inner] - m); py[base + j * inner] = e; s += e }
                let r = 1 / s
                for j in 0..<n { py[base + j * inner] *= r }
            }
        }
        return Tensor.record("softmax", y, [x]) { g in
            // dx = y ⊙ (g − Σ g⊙y). Read y through the captured tensor: the caller
            // may drop the output before backward, and only the capture keeps it alive.
            let d = Tensor.uninitialized(x.shape)
            let py = y.storage.data, pg = g.storage.data, pd = d.storage.data
            for o in 0..<outer {
                for i in 0..<inner {
                    let base = o * n * inner + i
                    var dot: Float = 0
                    for j in 0..<n { dot += pg[base + j * inner] * py[base + j * inner] }
                    for j in 0..<n { pd[base + j * inner] = py[base + j * inner] * (pg[base + j * inner] - dot) }
                }
            }
            x.node?.accumulate(d)
        }
    }

    /// Numerically stable log-softmax along `axis`.
    public func logSoftmax(axis: Int = -1) -> Tensor {
        let x = self
        let (outer, n, inner, _) = axisSplit(axis, "logSoftmax")
        let y = Tensor.uninitialized(shape)
        let px = storage.data, py = y.storage.data
        for o in 0..<outer {
            for i in 0..<inner {
                let base = o * n * inner + i
                var m = -Float.infinity
                for j in 0..<n { m = Swift.max(m, px[base + j * inner]) }
                var s: Float = 0
                for j in 0..<n { s += Foundation.exp(px[base + j * inner] - m) }
                let lse = m + Foundation.log(s)
                for j in 0..<n { py[base + j * inner] = px[base + j * inner] - lse }
            }
        }
        return Tensor.record("logSoftmax", y, [x]) { g in
            // dx = g − softmax · Σ g, with y read through the captured tensor (see softmax).
            let d = Tensor.uninitialized(x.shape)
            let py = y.storage.data, pg = g.storage.data, pd = d.storage.data
            for o in 0..<outer {
                for i in 0..<inner {
                    let base = o * n * inner + i
                    var s: Float = 0
                    for j in 0..<n { s += pg[base + j * inner] }
                    for j in 0..<n { pd[base + j * inner] = pg[base + j * inner] - Foundation.exp(py[base + j * inner]) * s }
                }
            }
            x.node?.accumulate(d)
        }
    }

    /// Replaces elements where `mask` (broadcastable, 1 = keep, 0 = fill) is zero by `value`.
    /// Filled positions receive no gradient.
    public func maskedFill(_ mask: Tensor, with value: Float) -> Tensor {
        let x = self
        let plan = BroadcastPlan("maskedFill", shape, mask.shape)
        precondition(plan.outShape == shape, "maskedFill: mask shape \(mask.shape) does not broadcast to \(shape)")
        let y = Tensor.uninitialized(shape)
        let px = storage.data, pm = mask.storage.data, py = y.storage.data
        plan.forEachRow { oa, ob, oo, n, ia, ib in
            for j in 0..<n { py[oo + j] = pm[ob + j * ib] != 0 ? px[oa + j * ia] : value }
        }
        return Tensor.record("maskedFill", y, [x]) { g in
            // The mask is read through the captured tensor: a temporary mask is gone by backward.
            let d = Tensor.uninitialized(x.shape)
            let pm = mask.storage.data, pg = g.storage.data, pd = d.storage.data
            plan.forEachRow { oa, ob, oo, n, ia, ib in
                for j in 0..<n { pd[oa + j * ia] = pm[ob + j * ib] != 0 ? pg[oo + j] : 0 }
            }
            x.node?.accumulate(d)
        }
    }

    /// Softmax along `axis` over the positions where `mask` is non-zero; padded
    /// positions get weight 0 and no gradient, a fully padded row gives zeros.
    public func maskedSoftmax(_ mask: Tensor, axis: Int = -1) -> Tensor {
        maskedFill(mask, with: -.infinity).softmax(axis: axis)
    }
}
