import XCTest
@testable import EcaZoo
import TensorEngine

/// Reverse-mode gradients of the losses against central differences. MSE and
/// 1 − ρ are checked directly; DNPL's stop-gradient makes its gradient differ from
/// the finite difference of σ_ŷ(1 − ρ) on purpose, so it is checked against
/// σ_ŷ times the finite difference of 1 − ρ instead.
final class LossGradientCheckTests: XCTestCase {
    let rng = RandomGenerator(seed: 8)

    func batch(_ count: Int = 12) -> (Tensor, Tensor) {
        let y = (0..<count).map { _ in rng.normal() }
        let p = y.map { 1.3 * (0.4 * $0 + rng.normal()) + 0.2 }
        return (Tensor(p, shape: [count]), Tensor(y, shape: [count]))
    }

    func testMSEAndPCCMatchFiniteDifferences() {
        for _ in 0..<3 {
            let (p, y) = batch()
            checkGradients("mse", input: p, parameters: []) { RegressionLoss.mse($0, y) }
            checkGradients("pcc", input: p, parameters: []) { RegressionLoss.pccLoss($0, y) }
            checkGradients("pearson", input: p, parameters: []) { Correlation.pearson($0, y) }
            checkGradients("sigma", input: p, parameters: []) { Correlation.sigma($0) }
        }
    }

    func testDNPLMatchesSigmaTimesTheFiniteDifferenceOfOneMinusRho() {
        for _ in 0..<3 {
            let (p, y) = batch()
            let leaf = p.detached().requiringGrad()
            RegressionLoss.dnpl(leaf, y).backward()
            let analytic = leaf.grad!.scalars
            let sigma = Stats.sigma(p.scalars.map(Double.init))
            let h: Float = 1e-2
            for j in 0..<p.count {
                var plus = p, minus = p
                plus.withUnsafeMutableBufferPointer { $0[j] += h }
                minus.withUnsafeMutableBufferPointer { $0[j] -= h }
                let step = Double(plus.scalars[j]) - Double(minus.scalars[j])
                let numeric = sigma * Double(RegressionLoss.pccLoss(plus, y).item - RegressionLoss.pccLoss(minus, y).item) / step
                XCTAssertTrue(Tolerance.gradient.accepts(Double(analytic[j]), numeric),
                              "dnpl at \(j): autodiff \(analytic[j]), σ · finite difference of 1 − ρ \(numeric)")
            }
        }
    }

    /// End to end: elements → ECA → linear head → MSE + λ(1 − ρ) + L_γ, against
    /// finite differences in every aggregator and head parameter.
    func testTrainingObjectiveThroughECAAndTheHead() throws {
        let x = PaddedSets.random(sizes: [3, 5, 2, 4, 4, 1], width: 3, seed: 17)
        let targets = Tensor([0.5, -1, 0.3, 2, -0.4, 0.9], shape: [6])
        for loss in [RegressionLoss(correlation: .pcc, lambdaPCC: 2), RegressionLoss(correlation: .none)] {
            let built = try ZooFixtures.aggregator("eca", ["learnable_beta": true, "lambda_gamma": 0.5], inputWidth: 3, seed: 9)
            let head = LinearHead(inputWidth: 3, name: "head", rng: RandomGenerator(seed: 2))
            checkGradients("eca + linear head + \(loss.correlation) loss", input: x.elements,
                           parameters: built.aggregator.parameters + head.parameters) { elements in
                let pooled = built.aggregator(elements, mask: x.mask)
                return loss(head(pooled.output), targets, auxiliary: pooled.auxiliaryLoss).total
            }
        }
    }
}
