import XCTest
@testable import EcaZoo
import TensorEngine

/// Padding is invisible: extra masked rows, whatever they hold, change neither an
/// aggregator's output nor any gradient, and receive no gradient themselves (so
/// an encoder upstream is not disturbed either). Runs over every registered
/// aggregator, so later additions are covered automatically.
final class MaskInvarianceTests: XCTestCase {
    /// Values written into padding: ordinary, large, huge, and of both signs.
    static let junk: [Float] = [1e30, -1e30, 3.5e6, -2e4, 0.25, -7, 1e15, 0]

    struct Run {
        var output: [Float]
        var auxiliary: Float?
        var perSample: [String: [Float]]
        /// Per set, the weights of the real elements, `[n_s · H]` each.
        var realWeights: [[Float]]
        /// Per set, the gradient with respect to the real elements.
        var realGradients: [[Float]]
        /// The largest |gradient| on any padding position.
        var paddingGradient: Float
        var parameterGradients: [String: [Float]]
    }

    /// Forward, then backward of `Σ output ⊙ R (+ auxiliary)` with a fixed `R`.
    func run(_ aggregator: any Aggregator, _ x: PaddedSets) -> Run {
        for p in aggregator.parameters { p.zeroGrad() }
        let leaf = x.elements.detached().requiringGrad()
        let pooled = aggregator(leaf, mask: x.mask)
        let r = Tensor.uniform(pooled.output.shape, low: -1, high: 1, rng: RandomGenerator(seed: 77))
        var objective = (pooled.output * r).sum()
        if let aux = pooled.auxiliaryLoss { objective = objective + aux }
        objective.backward()

        let n = x.length, d = x.width, m = x.mask.scalars
        let g = leaf.grad?.scalars ?? [Float](repeating: 0, count: leaf.count)
        var realWeights: [[Float]] = [], realGradients: [[Float]] = []
        var paddingGradient: Float = 0
        for b in 0..<x.batch {
            var rw: [Float] = [], rg: [Float] = []
            for i in 0..<n {
                let row = g[(b * n + i) * d..<(b * n + i + 1) * d]
                if m[b * n + i] != 0 {
                    rg.append(contentsOf: row)
                    if let w = pooled.weights {
                        let h = w.shape[2]
                        rw.append(contentsOf: w.scalars[(b * n + i) * h..<(b * n + i + 1) * h])
                    }
                } else {
                    paddingGradient = max(paddingGradient, row.map { abs($0) }.max() ?? 0)
                    if row.contains(where: { !$0.isFinite }) { paddingGradient = .infinity }
                }
            }
            realWeights.append(rw)
            realGradients.append(rg)
        }
        return Run(output: pooled.output.scalars, auxiliary: pooled.auxiliaryLoss?.item,
                   perSample: Dictionary(pooled.perSample.map { ($0.name, $0.value.scalars) }, uniquingKeysWith: { a, _ in a }),
                   realWeights: realWeights, realGradients: realGradients, paddingGradient: paddingGradient,
                   parameterGradients: Dictionary(uniqueKeysWithValues: aggregator.parameters.map { ($0.name, $0.grad?.scalars ?? []) }))
    }

    func testPaddingChangesNoOutputAndNoGradient() throws {
        let tight = PaddedSets.random(sizes: [3, 5, 1, 4], width: 4, seed: 12)
        var k = 0
        let padded = tight.repadded(to: 9) { _, _, _ in
            defer { k += 1 }
            return MaskInvarianceTests.junk[k % MaskInvarianceTests.junk.count]
        }
        for built in try ZooFixtures.allAggregators(inputWidth: 4, seed: 3) {
            let a = run(built.aggregator, tight), b = run(built.aggregator, padded)
            let label = built.label
            XCTAssertTrue(b.output.allSatisfy(\.isFinite), "\(label): output with junk padding is not finite: \(b.output)")
            assertClose(b.output, a.output, "\(label): output")
            if let aa = a.auxiliary {
                assertClose([try XCTUnwrap(b.auxiliary, "\(label): auxiliary loss")], [aa], "\(label): auxiliary loss")
            }
            XCTAssertEqual(Set(a.perSample.keys), Set(b.perSample.keys), "\(label): per-sample diagnostics")
            for (name, values) in a.perSample { assertClose(b.perSample[name] ?? [], values, "\(label): \(name)") }
            for s in 0..<tight.batch {
                assertClose(b.realWeights[s], a.realWeights[s], "\(label): weights of set \(s)")
                assertClose(b.realGradients[s], a.realGradients[s], tolerance: Tolerance(absolute: 1e-5, relative: 1e-3), "\(label): ∂/∂h of set \(s)")
            }
            XCTAssertEqual(a.paddingGradient, 0, "\(label): padding received a gradient")
            XCTAssertEqual(b.paddingGradient, 0, "\(label): junk padding received a gradient")
            XCTAssertEqual(Set(a.parameterGradients.keys), Set(b.parameterGradients.keys))
            for (name, g) in a.parameterGradients {
                let h = b.parameterGradients[name] ?? []
                XCTAssertTrue(h.allSatisfy(\.isFinite), "\(label): \(name) gradient is not finite with junk padding")
                assertClose(h, g, tolerance: Tolerance(absolute: 1e-5, relative: 1e-3), "\(label): ∂/∂\(name)")
            }
        }
    }

    /// A set pools the same whether alone and unpadded or in a padded batch with
    /// other sets: nothing leaks across sets, and padding is not a value that
    /// takes part (a fill of 0 competing in max pooling, say).
    func testEachSetPoolsAsIfAlone() throws {
        let batch = PaddedSets.random(sizes: [3, 5, 1, 4], width: 4, seed: 14).repadded(to: 7) { b, i, j in Float(b + i + j) * 0.5 - 2 }
        for built in try ZooFixtures.allAggregators(inputWidth: 4, seed: 5) {
            let together = Autograd.withoutGradients { built.aggregator(batch.elements, mask: batch.mask) }
            let d = built.aggregator.outputWidth
            for s in 0..<batch.batch {
                let rows = batch.rows(of: s)
                var k = 0
                let alone = PaddedSets.make(sizes: [rows.count], width: 4, length: nil, padding: 0) { _ in
                    defer { k += 1 }
                    return rows[k / 4][k % 4]
                }
                let single = Autograd.withoutGradients { built.aggregator(alone.elements, mask: alone.mask) }
                assertClose(Array(together.output.scalars[s * d..<(s + 1) * d]), single.output.scalars, "\(built.label): set \(s) alone vs in the batch")
                for (name, value) in together.perSample {
                    let other = single.perSample.first { $0.name == name }?.value.scalars ?? []
                    assertClose(other, [value.scalars[s]], "\(built.label): \(name) of set \(s) alone vs in the batch")
                }
            }
        }
    }

    /// Sets that are all padding pool to finite values with finite gradients
    /// (the first batch of a badly formed dataset must not poison training).
    func testEmptySetsStayFinite() throws {
        let x = PaddedSets.random(sizes: [0, 3, 0], width: 4, seed: 2).repadded(to: 3) { _, i, j in Float(i * 4 + j) - 5 }
        for built in try ZooFixtures.allAggregators(inputWidth: 4, seed: 4) {
            let r = run(built.aggregator, x)
            XCTAssertTrue(r.output.allSatisfy(\.isFinite), "\(built.label): output \(r.output)")
            XCTAssertTrue(r.realGradients.joined().allSatisfy(\.isFinite), "\(built.label): element gradients")
            XCTAssertEqual(r.paddingGradient, 0, "\(built.label): padding of an empty set received a gradient")
            for (name, g) in r.parameterGradients {
                XCTAssertTrue(g.allSatisfy(\.isFinite), "\(built.label): \(name) gradient \(g)")
            }
        }
    }
}
