import Foundation
import XCTest
@testable import EcaZoo
import TensorEngine

/// DATS: `D_s = sqrt((1/n_s) Σ ‖h − μ_s‖²)`, `τ_s = T_min + β D_s`,
/// `α = softmax(z / τ_s)`: homogeneous sets get a low temperature, so the same
/// logit differences give sharper weights.
final class DATSTemperatureTests: XCTestCase {
    func tau(_ pooled: Pooled) -> [Float]? { pooled.perSample.first { $0.name == "tau" }?.value.scalars }

    /// One base set, its deviations from the centre scaled by each factor, padded with junk.
    func scaledCopies(_ factors: [Float], size: Int = 6, width: Int = 4, seed: UInt64 = 4) -> (PaddedSets, [Double]) {
        let base = PaddedSets.random(sizes: [size], width: width, seed: seed).rows(of: 0)
        let centre = (0..<width).map { j in base.reduce(0) { $0 + $1[j] } / Float(size) }
        var dispersions: [Double] = []
        let rows = factors.map { k -> [[Float]] in
            let scaled = base.map { row in (0..<width).map { j in centre[j] + k * (row[j] - centre[j]) } }
            // D_s in Double, straight from the definition.
            let mu = (0..<width).map { j in scaled.reduce(0.0) { $0 + Double($1[j]) } / Double(size) }
            let ss = scaled.reduce(0.0) { acc, r in acc + (0..<width).reduce(0.0) { $0 + (Double(r[$1]) - mu[$1]) * (Double(r[$1]) - mu[$1]) } }
            dispersions.append((ss / Double(size)).squareRoot())
            return scaled
        }
        var e = 0
        let flat = rows.flatMap { $0.flatMap { $0 } }
        let sets = PaddedSets.make(sizes: factors.map { _ in size }, width: width, length: size + 2, padding: 50) { _ in
            defer { e += 1 }
            return flat[e]
        }
        return (sets, dispersions)
    }

    func testTemperatureIsTMinPlusBetaTimesDispersion() throws {
        let factors: [Float] = [0, 0.02, 0.1, 0.5, 1, 3]
        let (sets, dispersions) = scaledCopies(factors)
        for (tMin, beta, learnable) in [(0.1, 1.0, false), (0.25, 0.5, false), (0.25, 0.5, true), (0.05, 3.0, true)] {
            let config: JSONValue = ["t_min": .number(tMin), "beta": .number(beta), "learnable_beta": .bool(learnable)]
            let built = try ZooFixtures.aggregator("eca", config, inputWidth: 4)
            let pooled = Autograd.withoutGradients { built.aggregator(sets.elements, mask: sets.mask) }
            let t = try XCTUnwrap(tau(pooled), "\(built.label): DATS must report tau")
            let expected = dispersions.map { Float(tMin + beta * $0) }
            assertClose(t, expected, tolerance: Tolerance(absolute: 1e-5, relative: 1e-4), "\(built.label): τ")
            for s in 1..<t.count {
                XCTAssertGreaterThan(t[s], t[s - 1], "\(built.label): τ must rise with dispersion (factor \(factors[s]))")
            }
        }
    }

    func testWithoutDATSTheWeightsArePlainSoftmax() throws {
        let x = PaddedSets.random(sizes: [3, 5, 2], width: 4, seed: 6)
        let rng = RandomGenerator(seed: 17)
        let scorer = Scorer(kind: .tanh, inputWidth: 4, hiddenWidth: 8, heads: 1, name: "aggregator.scorer", rng: rng)
        var config = ECAAggregator.Config()
        config.dats = false
        config.sra = false
        let eca = ECAAggregator(config: config, scorer: scorer, inputWidth: 4, name: "aggregator", rng: rng)
        let softmax = SoftmaxAggregator(scorer: scorer, temperature: 1, inputWidth: 4)
        let (a, b) = Autograd.withoutGradients { (eca(x.elements, mask: x.mask), softmax(x.elements, mask: x.mask)) }
        XCTAssertNil(tau(a), "no τ is reported without DATS")
        assertClose(a.weights!.scalars, b.weights!.scalars, "weights")
        assertClose(a.output.scalars, b.output.scalars, "output")
    }

    /// Deviations orthogonal to the scorer leave the logits unchanged but raise D_s:
    /// the homogeneous set gets the lower temperature and the sharper weights.
    func testSameLogitsAreSharperInTheMoreHomogeneousSet() throws {
        let x = PaddedSets(
            elements: Tensor([
                0, 0,   0.1, 0,    0.2, 0,   0.3, 0,    0.4, 0,
                0, 3,   0.1, -3,   0.2, 2,   0.3, -2,   0.4, 0,
            ], shape: [2, 5, 2]),
            mask: Tensor.ones([2, 5]), sizes: [5, 5])
        let rng = RandomGenerator(seed: 1)
        let scorer = Scorer(kind: .linear, inputWidth: 2, hiddenWidth: 1, heads: 1, name: "aggregator.scorer", rng: rng)
        scorer.output.weight.assign([5, 0])
        var config = ECAAggregator.Config()
        config.sra = false
        let eca = ECAAggregator(config: config, scorer: scorer, inputWidth: 2, name: "aggregator", rng: rng)
        let softmax = SoftmaxAggregator(scorer: scorer, temperature: 1, inputWidth: 2)
        let (a, b) = Autograd.withoutGradients { (eca(x.elements, mask: x.mask), softmax(x.elements, mask: x.mask)) }

        let logits = try XCTUnwrap(a.logits).scalars
        assertClose(Array(logits[0..<5]), Array(logits[5..<10]), "the two sets have the same logits")
        let t = try XCTUnwrap(tau(a))
        XCTAssertLessThan(t[0], 1, "a homogeneous set is cooled below the softmax temperature")
        XCTAssertGreaterThan(t[1], 1)

        // α = softmax(z / τ), checked by hand for the homogeneous set.
        let z = logits[0..<5].map(Double.init)
        let e = z.map { Foundation.exp(($0 - z.max()!) / Double(t[0])) }
        let expected = e.map { Float($0 / e.reduce(0, +)) }
        assertClose(Array(a.weights!.scalars[0..<5]), expected, "α = softmax(z / τ)")

        let dats = Stats.entropies(a.weights!, mask: x.mask), plain = Stats.entropies(b.weights!, mask: x.mask)
        assertClose(plain[0], plain[1], tolerance: Tolerance(absolute: 1e-6, relative: 0), "softmax sees the same logits")
        XCTAssertLessThan(dats[0], plain[0] - 0.1, "homogeneous set: DATS must be sharper than softmax")
        XCTAssertGreaterThan(dats[1], plain[1], "dispersed set: DATS is softer than softmax")
        XCTAssertLessThan(dats[0], dats[1], "same logits: the homogeneous set gets the lower entropy")
    }

    /// Random homogeneous sets (τ < 1) with a shared tanh scorer: DATS is always
    /// sharper than plain softmax on the same logits.
    func testHomogeneousRandomSetsAreSharperThanSoftmax() throws {
        for seed: UInt64 in 1...4 {
            let rng = RandomGenerator(seed: seed)
            let scorer = Scorer(kind: .tanh, inputWidth: 4, hiddenWidth: 16, heads: 1, name: "aggregator.scorer", rng: rng)
            var config = ECAAggregator.Config()
            config.sra = false
            let eca = ECAAggregator(config: config, scorer: scorer, inputWidth: 4, name: "aggregator", rng: rng)
            let softmax = SoftmaxAggregator(scorer: scorer, temperature: 1, inputWidth: 4)
            let x = PaddedSets.random(sizes: [4, 8, 3, 6], width: 4, seed: seed + 100, scale: 0.15)
            let (a, b) = Autograd.withoutGradients { (eca(x.elements, mask: x.mask), softmax(x.elements, mask: x.mask)) }
            let t = try XCTUnwrap(tau(a))
            let dats = Stats.entropies(a.weights!, mask: x.mask), plain = Stats.entropies(b.weights!, mask: x.mask)
            for s in 0..<x.batch {
                XCTAssertLessThan(t[s], 1, "seed \(seed) set \(s): τ")
                XCTAssertLessThan(dats[s], plain[s], "seed \(seed) set \(s): DATS entropy vs softmax")
            }
        }
    }

    func testLearnableBetaStartsAtTheConfiguredBetaAndLearns() throws {
        let (sets, _) = scaledCopies([0.5, 1, 2])
        for beta in [0.0, 0.5, 30.0] {
            let fixed = try ZooFixtures.aggregator("eca", ["beta": .number(beta), "sra": false], inputWidth: 4, seed: 2)
            let learnable = try ZooFixtures.aggregator("eca", ["beta": .number(beta), "sra": false, "learnable_beta": true], inputWidth: 4, seed: 2)
            let raw = try XCTUnwrap(learnable.aggregator.parameters.first { $0.name == "aggregator.beta" }, "β is a parameter when learnable")
            XCTAssertTrue(raw.value.scalars.allSatisfy(\.isFinite), "β = \(beta): the raw β parameter must be finite, got \(raw.value.scalars)")

            let a = Autograd.withoutGradients { fixed.aggregator(sets.elements, mask: sets.mask) }
            let b = learnable.aggregator(sets.elements, mask: sets.mask)
            assertClose(try XCTUnwrap(tau(b)), try XCTUnwrap(tau(a)), tolerance: Tolerance(absolute: 1e-5, relative: 1e-4), "β = \(beta): initial τ")

            raw.zeroGrad()
            let r = Tensor.uniform(b.output.shape, low: -1, high: 1, rng: RandomGenerator(seed: 3))
            (b.output * r).sum().backward()
            let g = try XCTUnwrap(raw.grad, "β = \(beta): β gets a gradient").scalars
            XCTAssertTrue(g.allSatisfy(\.isFinite), "β = \(beta): gradient \(g)")
            XCTAssertTrue(g.contains { $0 != 0 }, "β = \(beta): β can never move from a zero gradient")
            // One optimiser step with weight decay keeps β finite.
            Adam(parameters: [raw], learningRate: 1e-2, weightDecay: 0.01).step()
            XCTAssertTrue(raw.value.scalars.allSatisfy(\.isFinite), "β = \(beta): raw β after a step \(raw.value.scalars)")
        }
    }
}
