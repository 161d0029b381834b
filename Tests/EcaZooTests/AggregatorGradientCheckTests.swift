import XCTest
@testable import EcaZoo
import TensorEngine

/// Reverse-mode gradients through every registered aggregator (every variant of
/// the built-ins) against central differences, with respect to the elements and
/// every parameter. The objective `Σ v ⊙ R + L_aux` involves every output
/// coordinate and, for ECA, the γ regulariser.
final class AggregatorGradientCheckTests: XCTestCase {
    func objective(_ aggregator: any Aggregator, mask: Tensor, weights r: Tensor) -> (Tensor) -> Tensor {
        { x in
            let pooled = aggregator(x, mask: mask)
            let value = (pooled.output * r).sum()
            return pooled.auxiliaryLoss.map { value + $0 } ?? value
        }
    }

    func testGradientsMatchFiniteDifferences() throws {
        // Distinct values, so max pooling has no ties within ±h; the small step
        // keeps signed attention's |z| (random logits come within 1e-2 of 0) and
        // the γ MLP's ReLU away from their kinks.
        let x = PaddedSets.distinct(sizes: [3, 5, 2], width: 4, seed: 3)
        for built in try ZooFixtures.allAggregators(inputWidth: 4, seed: 11) {
            let r = Tensor.uniform([x.batch, built.aggregator.outputWidth], low: -1, high: 1, rng: RandomGenerator(seed: 5))
            checkGradients(built.label, input: x.elements, parameters: built.aggregator.parameters, h: 1e-3,
                           objective(built.aggregator, mask: x.mask, weights: r))
        }
    }

    /// The regime DATS is for: homogeneous sets (small D_s, τ near T_min), where
    /// the gradient through τ is steep.
    func testECAGradientsOnHomogeneousSets() throws {
        let x = PaddedSets.random(sizes: [4, 6, 3], width: 3, seed: 21, scale: 0.2)
        for config: JSONValue in [[:], ["learnable_beta": true], ["scorer": "gated", "t_min": 0.5, "beta": 2]] {
            let built = try ZooFixtures.aggregator("eca", config, inputWidth: 3, seed: 4)
            let r = Tensor.uniform([x.batch, 3], low: -1, high: 1, rng: RandomGenerator(seed: 6))
            checkGradients(built.label + " (homogeneous)", input: x.elements, parameters: built.aggregator.parameters, h: 2e-3,
                           objective(built.aggregator, mask: x.mask, weights: r))
        }
    }
}
