import XCTest
@testable import EcaZoo
import TensorEngine

/// Theorem 2.2's premise: mean, softmax, gated and PMA pooling (and ECA without
/// SRA) are convex combinations of the set's elements, so the pooled vector
/// never leaves the set's convex hull.
final class ConvexHullTests: XCTestCase {
    /// Every aggregator configuration the zoo documents as convex.
    let convex: [(name: String, config: JSONValue)] = [
        ("mean", [:]),
        ("softmax", [:]),
        ("softmax", ["scorer": "linear", "heads": 2]),
        ("softmax", ["temperature": 0.2]),
        ("gated", [:]),
        ("pma", [:]),
        ("pma", ["heads": 2, "seeds": 3, "key_width": 8]),
        ("eca", ["sra": false]),
        ("eca", ["sra": false, "dats": false]),
    ]

    let sizes = [1, 2, 5, 7, 3]
    let width = 4

    /// Sets around a per-set centre far from the origin, at very different spreads,
    /// so near-uniform and saturated attention are both exercised.
    func sets(seed: UInt64, spread: Float) -> PaddedSets {
        let rng = RandomGenerator(seed: seed)
        let centres = sizes.map { _ in (0..<width).map { _ in 3 * rng.normal() } }
        var j = 0
        return PaddedSets.make(sizes: sizes, width: width, length: 8, padding: 0) { b in
            defer { j += 1 }
            return centres[b][j % width] + spread * rng.normal()
        }
    }

    func testWeightsAreADistributionOverTheRealElements() throws {
        for (name, config) in convex {
            let built = try ZooFixtures.aggregator(name, config, inputWidth: width, seed: 5)
            for seed: UInt64 in 1...4 {
                for spread: Float in [0.05, 1, 10] {
                    let x = sets(seed: seed, spread: spread)
                    let pooled = Autograd.withoutGradients { built.aggregator(x.elements, mask: x.mask) }
                    guard let weights = pooled.weights else {
                        XCTAssertEqual(name, "mean", "\(built.label): an attention aggregator must report its weights")
                        continue
                    }
                    let n = x.length, heads = weights.shape[2], w = weights.scalars, m = x.mask.scalars
                    XCTAssertEqual(Array(weights.shape.prefix(2)), [x.batch, n], "\(built.label): weights shape")
                    var problems: [String] = []
                    for b in 0..<x.batch {
                        for h in 0..<heads {
                            var total = 0.0
                            for i in 0..<n {
                                let a = w[(b * n + i) * heads + h]
                                if a < 0 { problems.append("negative weight \(a) at set \(b) element \(i)") }
                                if m[b * n + i] == 0 && a != 0 { problems.append("padding weight \(a) at set \(b) position \(i)") }
                                total += Double(a)
                            }
                            if abs(total - 1) > 1e-5 { problems.append("Σα = \(total) for set \(b) head \(h)") }
                        }
                    }
                    XCTAssertTrue(problems.isEmpty, "\(built.label), seed \(seed), spread \(spread): \(problems.count) problems, first \(problems.prefix(3))")
                    // The output is the weighted sum the weights describe (heads averaged).
                    let expected = weightedSum(weights, x)
                    assertClose(pooled.output.scalars, expected, tolerance: Tolerance(absolute: 1e-4, relative: 1e-4),
                                "\(built.label): output vs Σα h")
                }
            }
        }
    }

    func testPooledVectorStaysInsideTheHull() throws {
        for (name, config) in convex {
            let built = try ZooFixtures.aggregator(name, config, inputWidth: width, seed: 9)
            for seed: UInt64 in 11...16 {
                for spread: Float in [0.01, 0.3, 1, 20] {
                    let x = sets(seed: seed, spread: spread)
                    let v = Autograd.withoutGradients { built.aggregator(x.elements, mask: x.mask) }.output.scalars
                    let escapes = x.hullEscapes(v)
                    XCTAssertTrue(escapes.isEmpty, "\(built.label), seed \(seed), spread \(spread): left the hull at \(escapes)")
                }
            }
        }
    }

    func testMeanIsTheArithmeticMeanOfTheRealElements() throws {
        let built = try ZooFixtures.aggregator("mean", inputWidth: width)
        let x = sets(seed: 3, spread: 1)
        let v = built.aggregator(x.elements, mask: x.mask).output.scalars
        let expected = (0..<x.batch).flatMap { b -> [Float] in
            let rows = x.rows(of: b)
            return (0..<width).map { j in rows.reduce(0) { $0 + $1[j] } / Float(rows.count) }
        }
        assertClose(v, expected, "mean")
    }

    /// The check is not vacuous: a signed-attention aggregator with large logits
    /// (negative weights) does leave the hull on the same kind of data.
    func testHullCheckDetectsANonConvexAggregator() throws {
        let built = try ZooFixtures.aggregator("signed", ["scorer": "linear"], inputWidth: width, seed: 2)
        let signed = built.aggregator as! SignedAggregator
        signed.scorer.output.bias!.assign([0])
        var escaped = false
        for seed: UInt64 in 1...4 {
            let x = sets(seed: seed, spread: 1)
            let v = Autograd.withoutGradients { signed(x.elements, mask: x.mask) }.output.scalars
            escaped = escaped || !x.hullEscapes(v).isEmpty
        }
        XCTAssertTrue(escaped, "signed attention never left the hull: the hull check may be vacuous")
    }

    // MARK: - Helpers

    /// `Σ_i α_i h_i` with weights averaged over heads: `[B, D]` flattened.
    func weightedSum(_ weights: Tensor, _ x: PaddedSets) -> [Float] {
        let n = x.length, heads = weights.shape[2], w = weights.scalars, h = x.elements.scalars
        var out = [Float](repeating: 0, count: x.batch * width)
        for b in 0..<x.batch {
            for i in 0..<n {
                var a: Float = 0
                for k in 0..<heads { a += w[(b * n + i) * heads + k] }
                a /= Float(heads)
                for j in 0..<width { out[b * width + j] += a * h[(b * n + i) * width + j] }
            }
        }
        return out
    }
}
