import XCTest
@testable import TensorEngine

/// Optimiser updates step by step against values worked out by hand, and
/// gradient clipping.
final class OptimizerStepTests: XCTestCase {
    let tight = Tolerance(absolute: 1e-6, relative: 1e-6)

    /// Runs `steps` optimiser steps on L = ½ Σ w², whose gradient is w itself,
    /// and returns the weights after each step.
    func trajectoryOnHalfSquare(_ p: Parameter, _ optimizer: Optimizer, steps: Int) -> [[Float]] {
        (0..<steps).map { _ in
            optimizer.zeroGrad()
            (p.value * p.value).sum().scaled(by: 0.5).backward()
            optimizer.step()
            return p.value.scalars
        }
    }

    /// Runs `steps` steps on L = Σ c ⊙ w, whose gradient is the constant c.
    func trajectoryOnLinear(_ p: Parameter, _ optimizer: Optimizer, gradient c: [Float], steps: Int) -> [[Float]] {
        let constant = Tensor(c, shape: p.value.shape)
        return (0..<steps).map { _ in
            optimizer.zeroGrad()
            (p.value * constant).sum().backward()
            optimizer.step()
            return p.value.scalars
        }
    }

    // MARK: - SGD

    func testSGDWithoutMomentum() {
        // w ← w − 0.1·w: 0.9 w₀, then 0.81 w₀.
        let p = Parameter(name: "w", value: Tensor([1, -2], shape: [2]))
        let steps = trajectoryOnHalfSquare(p, SGD(parameters: [p], learningRate: 0.1), steps: 2)
        assertClose(steps[0], [0.9, -1.8], tolerance: tight, "SGD step 1")
        assertClose(steps[1], [0.81, -1.62], tolerance: tight, "SGD step 2")
    }

    func testSGDWithMomentum() {
        // v₁ = g₁ = w₀, w₁ = 0.9 w₀; g₂ = 0.9 w₀, v₂ = 0.9·w₀ + 0.9 w₀ = 1.8 w₀, w₂ = 0.9 w₀ − 0.18 w₀ = 0.72 w₀.
        let p = Parameter(name: "w", value: Tensor([1, -2], shape: [2]))
        let steps = trajectoryOnHalfSquare(p, SGD(parameters: [p], learningRate: 0.1, momentum: 0.9), steps: 2)
        assertClose(steps[0], [0.9, -1.8], tolerance: tight, "SGD momentum step 1")
        assertClose(steps[1], [0.72, -1.44], tolerance: tight, "SGD momentum step 2")
    }

    func testSGDWeightDecayAddsToTheGradient() {
        // g = 0.5 + 0.1·w: w₁ = 1 − 0.1·0.6 = 0.94; w₂ = 0.94 − 0.1·(0.5 + 0.094) = 0.8806.
        let p = Parameter(name: "w", value: Tensor([1], shape: [1]))
        let steps = trajectoryOnLinear(p, SGD(parameters: [p], learningRate: 0.1, weightDecay: 0.1), gradient: [0.5], steps: 2)
        assertClose(steps[0], [0.94], tolerance: tight, "SGD weight decay step 1")
        assertClose(steps[1], [0.8806], tolerance: tight, "SGD weight decay step 2")
    }

    func testOptimizersSkipParametersWithoutGradient() {
        let used = Parameter(name: "used", value: Tensor([1], shape: [1]))
        let unused = Parameter(name: "unused", value: Tensor([3], shape: [1]))
        for optimizer: Optimizer in [SGD(parameters: [used, unused], learningRate: 0.1, momentum: 0.9),
                                     Adam(parameters: [used, unused], learningRate: 0.1),
                                     Adam.adamW(parameters: [used, unused], learningRate: 0.1)] {
            optimizer.zeroGrad()
            (used.value * 2).sum().backward()
            optimizer.step()
            XCTAssertNil(unused.grad)
            XCTAssertEqual(unused.value.scalars, [3], "\(type(of: optimizer)) moved a parameter with no gradient")
        }
    }

    // MARK: - Adam

    func testAdamFirstTwoStepsWithBiasCorrection() {
        // Step 1: m̂ = g, v̂ = g², so w moves by lr·sign(g): 1 → 0.9, −2 → −1.9.
        // Step 2 (g = w₁): m = 0.9·0.1 g₁ + 0.1 g₂, v likewise, divided by 1 − 0.9² and 1 − 0.999².
        let p = Parameter(name: "w", value: Tensor([1, -2], shape: [2]))
        let adam = Adam(parameters: [p], learningRate: 0.1)
        let steps = trajectoryOnHalfSquare(p, adam, steps: 2)
        assertClose(steps[0], [0.9, -1.9], tolerance: tight, "Adam step 1")
        assertClose(steps[1], [0.80041223, -1.80016649], tolerance: tight, "Adam step 2")
        XCTAssertEqual(adam.stepCount, 2)
    }

    func testAdamWDecouplesDecayFromTheAdaptiveStep() {
        // With zero loss gradient, L2 decay (gᵢ += λw) is normalised by Adam into a
        // full lr·sign(w) step, while AdamW shrinks w by the factor 1 − lr·λ.
        let l2 = Parameter(name: "w", value: Tensor([1, -2], shape: [2]))
        let l2Steps = trajectoryOnLinear(l2, Adam(parameters: [l2], learningRate: 0.1, weightDecay: 0.1), gradient: [0, 0], steps: 2)
        assertClose(l2Steps[0], [0.9, -1.9], tolerance: tight, "Adam L2 decay step 1")
        assertClose(l2Steps[1], [0.80041225, -1.80016650], tolerance: tight, "Adam L2 decay step 2")

        let decoupled = Parameter(name: "w", value: Tensor([1, -2], shape: [2]))
        let adamW = Adam(parameters: [decoupled], learningRate: 0.1, weightDecay: 0.1, decoupledWeightDecay: true)
        let decoupledSteps = trajectoryOnLinear(decoupled, adamW, gradient: [0, 0], steps: 2)
        assertClose(decoupledSteps[0], [0.99, -1.98], tolerance: tight, "AdamW decay step 1")
        assertClose(decoupledSteps[1], [0.9801, -1.9602], tolerance: tight, "AdamW decay step 2")
    }

    func testAdamWAndAdamL2WithAConstantGradient() {
        // g = 0.5. Adam L2 step 1: sign(0.5 + 0.1 w) decides; 1 → 0.9 and −2 → −2.1 (0.5 − 0.2 > 0).
        // AdamW step 1: w(1 − 0.01) − 0.1 = 0.89 and −1.98 − 0.1 = −2.08.
        let l2 = Parameter(name: "w", value: Tensor([1, -2], shape: [2]))
        let l2Steps = trajectoryOnLinear(l2, Adam(parameters: [l2], learningRate: 0.1, weightDecay: 0.1), gradient: [0.5, 0.5], steps: 2)
        assertClose(l2Steps[0], [0.9, -2.1], tolerance: tight, "Adam L2 step 1")
        assertClose(l2Steps[1], [0.80004734, -2.19989729], tolerance: tight, "Adam L2 step 2")

        let decoupled = Parameter(name: "w", value: Tensor([1, -2], shape: [2]))
        let adamW = Adam.adamW(parameters: [decoupled], learningRate: 0.1, weightDecay: 0.1)
        XCTAssertTrue(adamW.decoupledWeightDecay)
        let decoupledSteps = trajectoryOnLinear(decoupled, adamW, gradient: [0.5, 0.5], steps: 2)
        assertClose(decoupledSteps[0], [0.89, -2.08], tolerance: tight, "AdamW step 1")
        assertClose(decoupledSteps[1], [0.7811, -2.1592], tolerance: tight, "AdamW step 2")
    }

    func testAdamWDefaults() {
        let p = Parameter(name: "w", value: Tensor([1], shape: [1]))
        let adamW = Adam.adamW(parameters: [p], learningRate: 1e-3)
        XCTAssertEqual(adamW.weightDecay, 0.01)
        XCTAssertTrue(adamW.decoupledWeightDecay)
        XCTAssertEqual(adamW.beta1, 0.9)
        XCTAssertEqual(adamW.beta2, 0.999)
        XCTAssertFalse(Adam(parameters: [p], learningRate: 1e-3).decoupledWeightDecay)
    }

    func testLearningRateIsReadAtEachStep() {
        // A schedule sets `learningRate` between steps; the next step must use it.
        let p = Parameter(name: "w", value: Tensor([1], shape: [1]))
        let sgd = SGD(parameters: [p], learningRate: 0.1)
        _ = trajectoryOnLinear(p, sgd, gradient: [1], steps: 1)
        sgd.learningRate = 0.5
        let after = trajectoryOnLinear(p, sgd, gradient: [1], steps: 1)
        assertClose(after[0], [0.4], tolerance: tight, "SGD after changing the rate")
    }

    // MARK: - Gradient clipping

    func gradientsOf(_ values: [[Float]]) -> [Parameter] {
        values.enumerated().map { i, g in
            let p = Parameter(name: "p\(i)", value: .zeros([g.count]))
            // L = Σ g ⊙ w puts exactly g into the gradient.
            (p.value * Tensor(g, shape: [g.count])).sum().backward()
            return p
        }
    }

    func testClipGradientNormScalesDownToMaxNorm() {
        let params = gradientsOf([[3, 0], [4]])
        let norm = clipGradientNorm(params, maxNorm: 1)
        XCTAssertEqual(norm, 5, accuracy: 1e-6, "returns the norm before clipping")
        assertClose(params[0].grad!.scalars, [0.6, 0], tolerance: tight, "clipped p0")
        assertClose(params[1].grad!.scalars, [0.8], tolerance: tight, "clipped p1")
        let after = params.flatMap { $0.grad!.scalars }.reduce(0) { $0 + $1 * $1 }.squareRoot()
        XCTAssertEqual(after, 1, accuracy: 1e-5, "global norm after clipping")
    }

    func testClipGradientNormLeavesSmallGradientsAlone() {
        let params = gradientsOf([[3, 0], [4]])
        XCTAssertEqual(clipGradientNorm(params, maxNorm: 10), 5, accuracy: 1e-6)
        XCTAssertEqual(params[0].grad?.scalars, [3, 0])
        XCTAssertEqual(params[1].grad?.scalars, [4])
    }

    func testClipGradientNormIgnoresParametersWithoutGradient() {
        let params = gradientsOf([[6, 8]]) + [Parameter(name: "frozen", value: .ones([3]))]
        XCTAssertEqual(clipGradientNorm(params, maxNorm: 5), 10, accuracy: 1e-5)
        assertClose(params[0].grad!.scalars, [3, 4], tolerance: tight, "clipped")
        XCTAssertNil(params[1].grad)
    }
}
