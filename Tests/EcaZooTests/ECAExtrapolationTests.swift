import XCTest
@testable import EcaZoo
import TensorEngine

/// SRA: `v = μ + γ Σ α (h − μ)` with `γ = 1 + softplus(MLP(μ)) ≥ 1`. With γ > 1
/// the pooled vector can leave the convex hull along the attention residual;
/// without SRA it cannot.
final class ECAExtrapolationTests: XCTestCase {
    /// Two sets of three 2-d elements whose first coordinates differ clearly.
    let sets = PaddedSets(
        elements: Tensor([
            0.0, 0.0,   1.0, 0.5,   0.3, 1.0,
            -1.0, 2.0,  -0.2, 1.5,  0.6, 1.8,
        ], shape: [2, 3, 2]),
        mask: Tensor.ones([2, 3]),
        sizes: [3, 3])

    /// ECA with a linear scorer `z = 4 h₀` (attention prefers a large first
    /// coordinate) and, with SRA, the γ MLP's output fixed so `γ = 1 + softplus(bias)`.
    func eca(_ config: JSONValue, gammaBias: Float? = nil) throws -> ECAAggregator {
        var object = config.objectValue ?? JSONObject()
        object["scorer"] = "linear"
        let eca = try ZooFixtures.aggregator("eca", .object(object), inputWidth: 2, seed: 3).aggregator as! ECAAggregator
        eca.scorer.output.weight.assign([4, 0])
        eca.scorer.output.bias!.assign([0])
        if let gammaBias, let out = eca.gammaOut {
            out.weight.assign([Float](repeating: 0, count: out.weight.value.count))
            out.bias!.assign([gammaBias])
        }
        return eca
    }

    func softplus(_ x: Float) -> Float { Swift.max(x, 0) + Foundation.log1p(Foundation.exp(-Swift.abs(x))) }

    func gamma(_ pooled: Pooled) -> [Float]? { pooled.perSample.first { $0.name == "gamma" }?.value.scalars }

    func testGammaAboveOneLeavesTheHull() throws {
        let model = try eca([:], gammaBias: 1.5)
        let pooled = Autograd.withoutGradients { model(sets.elements, mask: sets.mask) }
        let g = try XCTUnwrap(gamma(pooled), "ECA with SRA must report gamma")
        assertClose(g, [1 + softplus(1.5), 1 + softplus(1.5)], "γ = 1 + softplus(1.5)")
        XCTAssertGreaterThan(g[0], 2)
        let escapes = sets.hullEscapes(pooled.output.scalars, slack: 1e-2)
        XCTAssertFalse(escapes.isEmpty, "γ ≈ \(g[0]) but the pooled vectors \(pooled.output.scalars) stayed in the hull")
    }

    func testWithoutSRATheSameAttentionStaysInsideTheHull() throws {
        let model = try eca(["sra": false])
        let pooled = Autograd.withoutGradients { model(sets.elements, mask: sets.mask) }
        XCTAssertNil(gamma(pooled), "no γ without SRA")
        XCTAssertNil(pooled.auxiliaryLoss, "no γ regulariser without SRA")
        XCTAssertTrue(sets.hullEscapes(pooled.output.scalars).isEmpty, "ECA without SRA left the hull: \(pooled.output.scalars)")
        // Even with very sharp attention on random data.
        for seed: UInt64 in 1...5 {
            let x = PaddedSets.random(sizes: [2, 6, 4], width: 2, seed: seed, scale: 2)
            model.scorer.output.weight.assign([25, -10])
            let v = Autograd.withoutGradients { model(x.elements, mask: x.mask) }.output.scalars
            XCTAssertTrue(x.hullEscapes(v).isEmpty, "seed \(seed): ECA without SRA left the hull")
        }
    }

    /// `v − μ = γ (v₀ − μ)`, where `v₀` is the same attention without SRA: the
    /// extrapolation runs along the attention residual, scaled by the reported γ.
    func testPooledVectorIsTheAttentionResidualScaledByGamma() throws {
        let withSRA = try ZooFixtures.aggregator("eca", [:], inputWidth: 4, seed: 21).aggregator as! ECAAggregator
        let without = try ZooFixtures.aggregator("eca", ["sra": false], inputWidth: 4, seed: 22).aggregator as! ECAAggregator
        let shared = Dictionary(uniqueKeysWithValues: withSRA.scorer.parameters.map { ($0.name, $0) })
        for p in without.scorer.parameters { p.assign(shared[p.name]!.value.scalars) }
        withSRA.gammaOut!.bias!.assign([0.7])

        let x = PaddedSets.random(sizes: [3, 5, 1, 4], width: 4, seed: 8)
        let (a, b) = Autograd.withoutGradients { (withSRA(x.elements, mask: x.mask), without(x.elements, mask: x.mask)) }
        let g = try XCTUnwrap(gamma(a))
        let mu = SetMath.mean(x.elements, mask: x.mask).scalars
        let v0 = b.output.scalars
        var expected = [Float]()
        for s in 0..<x.batch {
            XCTAssertGreaterThanOrEqual(g[s], 1, "γ ≥ 1")
            for j in 0..<4 { expected.append(mu[s * 4 + j] + g[s] * (v0[s * 4 + j] - mu[s * 4 + j])) }
        }
        assertClose(a.output.scalars, expected, tolerance: Tolerance(absolute: 1e-5, relative: 1e-4), "μ + γ (v₀ − μ)")
        assertClose(a.weights!.scalars, b.weights!.scalars, "SRA does not change the attention weights")

        // The regulariser is λ_γ · mean_s (γ_s − 1)².
        let lambda = withSRA.config.lambdaGamma
        let reg = g.reduce(Float(0)) { $0 + ($1 - 1) * ($1 - 1) } / Float(g.count) * lambda
        assertClose([try XCTUnwrap(a.auxiliaryLoss).item], [reg], "L_γ")
    }

    func testGammaNearOneReducesToPlainAttention() throws {
        let sra = try eca([:], gammaBias: -30)
        let plain = try eca(["sra": false])
        let (a, b) = Autograd.withoutGradients { (sra(sets.elements, mask: sets.mask), plain(sets.elements, mask: sets.mask)) }
        assertClose(try XCTUnwrap(gamma(a)), [1, 1], "γ")
        assertClose(a.output.scalars, b.output.scalars, "γ = 1: μ + Σα(h − μ) = Σα h")
    }

    func testGammaMaxCapsTheExtrapolation() throws {
        let capped = try eca(["gamma_max": 2], gammaBias: 3)
        let pooled = Autograd.withoutGradients { capped(sets.elements, mask: sets.mask) }
        assertClose(try XCTUnwrap(gamma(pooled)), [2, 2], "γ capped at γ_max")
        XCTAssertFalse(sets.hullEscapes(pooled.output.scalars, slack: 1e-2).isEmpty, "γ = 2 with sharp attention still extrapolates")

        let free = try eca([:], gammaBias: 3)
        let unclamped = Autograd.withoutGradients { free(sets.elements, mask: sets.mask) }
        assertClose(try XCTUnwrap(gamma(unclamped)), [1 + softplus(3), 1 + softplus(3)], "uncapped γ")
    }
}
