import Foundation

extension Tensor {
    /// Splits the shape around `axis` into `[outer, n, inner]`.
    @usableFromInline
    func axisSplit(_ axis: Int, _ op: String) -> (outer: Int, n: Int, inner: Int, axis: Int) {
        let ax = axis < 0 ? axis + rank : axis
        precondition(ax >= 0 && ax < rank, "\(op): axis \(axis) out of range for shape \(shape)")
        let outer = shapeCount(Array(shape[..<ax])), inner = shapeCount(Array(shape[(ax + 1)...]))
        return (outer, shape[ax], inner, ax)
    }

    func reducedShape(_ ax: Int, keepDims: Bool) -> [Int] {
        var s = shape
        if keepDims { s[ax] = 1 } else { s.remove(at: ax) }
        return s
    }

    /// The sum of all elements (a scalar).
    public func sum() -> Tensor {
        let x = self
        var s: Float = 0
        let p = storage.data
        for i in 0..<count { s += p[i] }
        return Tensor.record("sum", Tensor(scalar: s), [x]) { g in
            x.node?.accumulate(Tensor(repeating: g.item, shape: x.shape))
        }
    }

    /// The mean of all elements (a scalar).
    public func mean() -> Tensor { sum().scaled(by: 1 / Float(Swift.max(count, 1))) }

    /// Sums along `axis`.
    public func sum(axis: Int, keepDims: Bool = false) -> Tensor {
        let x = self
        let (outer, n, inner, ax) = axisSplit(axis, "sum")
        let y = Tensor.zeros(reducedShape(ax, keepDims: keepDims))
        let px = storage.data, py = y.storage.data
        for o in 0..<outer {
            let base = o * n * inner
            for j in 0..<n {
                let row = px + base + j * inner
                let dst = py + o * inner
                for i in 0..<inner { dst[i] += row[i] }
            }
        }
        return Tensor.record("sum", y, [x]) { g in
            let d = Tensor.uninitialized(x.shape)
            let pg = g.storage.data, pd = d.storage.data
            for o in 0..<outer {
                for j in 0..<n {
                    let dst = pd + (o * n + j) * inner, src = pg + o * inner
                    for i in 0..<inner { dst[i] = src[i] }
                }
            }
            x.node?.accumulate(d)
        }
    }

    /// Sums over several axes.
    public func sum(axes: [Int], keepDims: Bool = false) -> Tensor {
        var t = self
        for ax in axes.map({ $0 < 0 ? $0 + rank : $0 }).sorted(by: >) { t = t.sum(axis: ax, keepDims: keepDims) }
        return t
    }

    /// The mean along `axis`.
    public func mean(axis: Int, keepDims: Bool = false) -> Tensor {
        let n = axisSplit(axis, "mean").n
        return sum(axis: axis, keepDims: keepDims).scaled(by: 1 / Float(Swift.max(n, 1)))
    }

    /// The maximum along `axis`; the gradient goes to the first maximal element.
    public func max(axis: Int, keepDims: Bool = false) -> Tensor {
        let x = self
        let (outer, n, inner, ax) = axisSplit(axis, "max")
        precondition(n > 0, "max: empty axis \(axis) in shape \(shape)")
        let y = Tensor.uninitialized(reducedShape(ax, keepDims: keepDims))
        var arg = [Int32](repeating: 0, count: outer * inner)
        let px = storage.data, py = y.storage.data
        for o in 0..<outer {
            for i in 0..<inner {
                var best = px[o * n * inner + i], bj: Int32 = 0
                for j in 1..<Swift.max(n, 1) {
                    let v = px[(o * n + j) * inner + i]
                    if v > best { best = v; bj = Int32(j) }
                }
                py[o * inner + i] = best
                arg[o * inner + i] = bj
            }
        }
        return Tensor.record("max", y, [x]) { g in
            let d = Tensor.zeros(x.shape)
            let pg = g.storage.data, pd = d.storage.data
            for o in 0..<outer { for i in 0..<inner { pd[(o * n + Int(arg[o * inner + i])) * inner + i] = pg[o * inner + i] } }
            x.node?.accumulate(d)
        }
    }

    /// The minimum along `axis`.
    public func min(axis: Int, keepDims: Bool = false) -> Tensor { (-self).max(axis: axis, keepDims: keepDims).scaled(by: -1) }

    /// Variance along `axis`: population form (divide by n) unless `unbiased` (divide by n − 1).
    public func variance(axis: Int, keepDims: Bool = false, unbiased: Bool = false) -> Tensor {
        let n = axisSplit(axis, "variance").n
        let centred = self - mean(axis: axis, keepDims: true)
        let denom = Float(unbiased ? n - 1 : n)
        precondition(denom > 0, "variance: axis \(axis) of shape \(shape) too short for the \(unbiased ? "sample" : "population") form")
        return (centred * centred).sum(axis: axis, keepDims: keepDims).scaled(by: 1 / denom)
    }

    /// Standard deviation along `axis` (population form unless `unbiased`).
    public func standardDeviation(axis: Int, keepDims: Bool = false, unbiased: Bool = false) -> Tensor {
        variance(axis: axis, keepDims: keepDims, unbiased: unbiased).sqrt()
    }
}
