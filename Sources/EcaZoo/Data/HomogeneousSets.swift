import Foundation
import TensorEngine

/// Synthetic set regression with controlled in-sample homogeneity.
///
/// Generative model, per sample `s` with `n_s` elements of dimension `d`:
///
///     c_s ~ N(0, I_d)                      the sample centre
///     e_si ~ N(0, I_d)                     unit-scale element deviations
///     h_si = c_s + η · e_si                the observed elements
///     i*  = argmax_i qᵀ e_si               the element a hidden unit query q singles out
///     y_s = a · wᵀ c_s + b · uᵀ e_si* + σ_noise · ε
///
/// `w`, `q` and `u` are fixed random unit directions, `u ∝ (1 − m)·q + m·r` with `r`
/// independent and `m` = `readoutMix` (0.5 by default). The first term is readable by any
/// aggregator; the second only by one that selects element `i*` and then reads its
/// deviation at unit scale, although the model sees it shrunk by `η`. A convex
/// aggregator can move its pooled vector at most a hull radius (∝ η) away from the
/// mean, so as `η → 0` its prediction of the second term collapses — the regime
/// the paper's analysis is about. The normalised in-sample dispersion is
/// σ̃ ≈ η·sqrt((n−1)/n) / sqrt(1 + η²).
public struct HomogeneousSets {
    public var samples = 8000
    public var minSize = 16
    public var maxSize = 16
    public var dimension = 8
    public var eta: Float = 0.3
    public var centreWeight: Float = 1
    public var structureWeight: Float = 1
    public var noise: Float = 0.1
    public var seed: UInt64 = 7
    /// 0: the target reads the selected element along the selection direction q; 1: along an independent direction.
    public var readoutMix: Float = 0.5

    public init() {}

    /// Draws the dataset; the same parameters give the same data bit for bit.
    public func generate() -> SetDataset {
        let rng = RandomGenerator(seed: seed)
        let d = dimension
        func unit() -> [Float] {
            var v = (0..<d).map { _ in rng.normal() }
            let n = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
            for i in v.indices { v[i] /= n }
            return v
        }
        let w = unit(), q = unit(), r = unit()
        var u = zip(q, r).map { (1 - readoutMix) * $0 + readoutMix * $1 }
        let un = u.reduce(0) { $0 + $1 * $1 }.squareRoot()
        for i in u.indices { u[i] /= un }

        var elements: [Float] = []
        var offsets = [0]
        var targets: [Float] = []
        var centre = [Float](repeating: 0, count: d)
        var dev = [Float](repeating: 0, count: d)
        for _ in 0..<samples {
            let n = minSize == maxSize ? minSize : minSize + rng.int(below: maxSize - minSize + 1)
            for j in 0..<d { centre[j] = rng.normal() }
            var best = -Float.infinity, bestRead: Float = 0
            for _ in 0..<n {
                var score: Float = 0, read: Float = 0
                for j in 0..<d {
                    dev[j] = rng.normal()
                    score += q[j] * dev[j]
                    read += u[j] * dev[j]
                    elements.append(centre[j] + eta * dev[j])
                }
                if score > best { best = score; bestRead = read }
            }
            offsets.append(offsets.last! + n)
            var wc: Float = 0
            for j in 0..<d { wc += w[j] * centre[j] }
            targets.append(centreWeight * wc + structureWeight * bestRead + noise * rng.normal())
        }
        return SetDataset(featureWidth: d, elements: elements, offsets: offsets, targets: targets,
                          featureNames: (0..<d).map { "x\($0)" })
    }
}
