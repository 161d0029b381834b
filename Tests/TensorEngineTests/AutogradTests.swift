import XCTest
@testable import TensorEngine

/// The autograd contract: what records, where gradients accumulate, what stops them.
final class AutogradTests: XCTestCase {
    func testGradientsAccumulateAcrossBackwardCallsUntilZeroGrad() {
        let p = Parameter(name: "w", value: Tensor([1, 2, 3], shape: [3]))
        // d/dw Σ w² = 2w
        (p.value * p.value).sum().backward()
        XCTAssertEqual(p.grad?.scalars, [2, 4, 6])
        (p.value * p.value).sum().backward()
        XCTAssertEqual(p.grad?.scalars, [4, 8, 12], "a second backward adds to the first")
        (p.value * 3).sum().backward()
        XCTAssertEqual(p.grad?.scalars, [7, 11, 15], "a different loss adds too")
        p.zeroGrad()
        XCTAssertNil(p.grad)
        (p.value * p.value).sum().backward()
        XCTAssertEqual(p.grad?.scalars, [2, 4, 6], "after zeroGrad it starts afresh")
    }

    func testOptimizerZeroGradClearsEveryParameter() {
        let a = Parameter(name: "a", value: .ones([2])), b = Parameter(name: "b", value: .ones([3]))
        (a.value.sum() + b.value.sum()).backward()
        XCTAssertNotNil(a.grad)
        XCTAssertNotNil(b.grad)
        SGD(parameters: [a, b], learningRate: 0.1).zeroGrad()
        XCTAssertNil(a.grad)
        XCTAssertNil(b.grad)
    }

    func testAccumulatedGradientDoesNotAliasTheSeed() {
        // backward(gradient:) must not let later accumulation write into the caller's tensor.
        let x = Tensor([1, 2], shape: [2]).requiringGrad()
        let seed = Tensor([1, 1], shape: [2])
        x.scaled(by: 1).backward(gradient: seed)
        x.scaled(by: 1).backward(gradient: seed)
        XCTAssertEqual(x.grad?.scalars, [2, 2])
        XCTAssertEqual(seed.scalars, [1, 1])
    }

    func testWithoutGradientsRecordsNothing() {
        let p = Parameter(name: "w", value: .ones([2, 2]))
        XCTAssertTrue(Autograd.isRecording)
        let y = Autograd.withoutGradients { () -> Tensor in
            XCTAssertFalse(Autograd.isRecording)
            return (p.value.matmul(p.value) + p.value).exp().sum()
        }
        XCTAssertFalse(y.requiresGrad)
        XCTAssertTrue(Autograd.isRecording, "recording resumes afterwards")
        y.backward()
        XCTAssertNil(p.grad, "backward on an unrecorded value touches nothing")
        // Recording is restored even when the body throws.
        struct Failure: Error {}
        XCTAssertThrowsError(try Autograd.withoutGradients { throw Failure() })
        XCTAssertTrue(Autograd.isRecording)
        // And nested blocks restore the outer state.
        Autograd.withoutGradients {
            Autograd.withoutGradients {}
            XCTAssertFalse(Autograd.isRecording)
        }
        XCTAssertTrue((p.value * 2).requiresGrad)
    }

    func testRequiresGradPropagatesFromLeavesOnly() {
        let constant = Tensor.ones([3])
        XCTAssertFalse(constant.requiresGrad)
        XCTAssertFalse((constant * 2 + constant).exp().requiresGrad)
        let leaf = constant.requiringGrad()
        XCTAssertTrue(leaf.requiresGrad)
        XCTAssertTrue((constant + leaf).requiresGrad)
        XCTAssertNil(leaf.grad, "no gradient before backward")
        let y = (constant * leaf).sum()
        y.backward()
        XCTAssertEqual(leaf.grad?.scalars, [1, 1, 1])
        XCTAssertNil(constant.grad)
    }

    func testDetachStopsTheGradient() {
        let x = Tensor([1, -2, 3], shape: [3]).requiringGrad()
        // y = stop(x) · x: only the second factor carries a gradient, so dy/dx = x (not 2x).
        (x.detached() * x).sum().backward()
        XCTAssertEqual(x.grad?.scalars, [1, -2, 3])
        XCTAssertFalse(x.detached().requiresGrad)
        XCTAssertEqual(x.detached().scalars, x.scalars)
        // A loss built only from the detached value reaches nothing.
        let z = Tensor([1, 2], shape: [2]).requiringGrad()
        let loss = z.detached().exp().sum()
        XCTAssertFalse(loss.requiresGrad)
        loss.backward()
        XCTAssertNil(z.grad)
        // A detached branch added to a live one contributes value but no gradient.
        let w = Tensor([0.5, 1.5], shape: [2]).requiringGrad()
        let stopped = w.detached()
        let sum = w + stopped * stopped
        XCTAssertEqual(sum.scalars, [0.75, 3.75])
        sum.sum().backward()
        XCTAssertEqual(w.grad?.scalars, [1, 1])
    }

    func testRetainedIntermediateGradient() {
        // h = 2x kept with retainingGrad: ∂Σh²/∂h = 2h, while an unmarked intermediate keeps nothing.
        let x = Tensor([1, -2], shape: [2]).requiringGrad()
        let h = (x * 2).retainingGrad(), other = x * 3
        ((h * h).sum() + other.sum()).backward()
        XCTAssertEqual(h.grad?.scalars, [4, -8])
        XCTAssertNil(other.grad)
        XCTAssertEqual(x.grad?.scalars, [11, -13])
        XCTAssertFalse(Tensor.ones([2]).retainingGrad().requiresGrad)
    }

    func testBackwardWithExplicitGradient() {
        let x = Tensor([1, 2, 3, 4], shape: [2, 2]).requiringGrad()
        let y = x * x
        y.backward(gradient: Tensor([1, 0, 0, 2], shape: [2, 2]))
        XCTAssertEqual(x.grad?.scalars, [2, 0, 0, 16])
    }

    func testGradientOfAValueUsedAlongSeveralPaths() {
        // f = Σ (x·x + x) ⇒ df/dx = 2x + 1
        let x = Tensor([0.5, -1, 2], shape: [3]).requiringGrad()
        (x * x + x).sum().backward()
        XCTAssertEqual(x.grad?.scalars, [2, -1, 5])
        // A diamond: h = 2x feeds both branches of h·h + h.
        let z = Tensor([1, 3], shape: [2]).requiringGrad()
        let h = z * 2
        (h * h + h).sum().backward()  // d/dz = (2h + 1)·2 = 8z + 2
        XCTAssertEqual(z.grad?.scalars, [10, 26])
    }

    func testDeepChainDoesNotOverflowTheStack() {
        let x = Tensor([1], shape: [1]).requiringGrad()
        var y = x
        for _ in 0..<50_000 { y = y + 0 }
        y.sum().backward()
        XCTAssertEqual(x.grad?.scalars, [1])
    }

    func testDroppingADeepGraphWithoutBackwardDoesNotOverflowTheStack() {
        // A running total kept across many steps without detaching, then discarded.
        let x = Tensor([1], shape: [1]).requiringGrad()
        var total = Tensor.zeros([1])
        for _ in 0..<200_000 { total = total + x }
        XCTAssertTrue(total.requiresGrad)
        total = .zeros([1])
        XCTAssertFalse(total.requiresGrad)
    }

    func testParameterNamesAndValues() {
        let p = Parameter(name: "encoder.fc1.weight", value: Tensor([1, 2], shape: [2]))
        XCTAssertEqual(p.name, "encoder.fc1.weight")
        XCTAssertTrue(p.value.requiresGrad)
        XCTAssertNil(p.grad)
        p.assign([5, 6])
        XCTAssertEqual(p.value.scalars, [5, 6])
        XCTAssertEqual(p.value.shape, [2])
        let linear = Linear("encoder.fc1", inputs: 3, outputs: 2, rng: RandomGenerator(seed: 1))
        XCTAssertEqual(linear.parameters.map(\.name), ["encoder.fc1.weight", "encoder.fc1.bias"])
        XCTAssertEqual(linear.weight.value.shape, [3, 2])
        XCTAssertEqual(linear.bias?.value.shape, [2])
        let norm = LayerNorm("block.norm", width: 4)
        XCTAssertEqual(norm.parameters.map(\.name), ["block.norm.gamma", "block.norm.beta"])
        XCTAssertEqual(norm.gamma.value.scalars, [1, 1, 1, 1])
        XCTAssertEqual(norm.beta.value.scalars, [0, 0, 0, 0])
    }

    func testParameterDoesNotShareStorageWithItsSource() {
        let source = Tensor([1, 2], shape: [2])
        let p = Parameter(name: "w", value: source)
        p.assign([7, 8])
        XCTAssertEqual(source.scalars, [1, 2], "assign must not write through to the initial tensor")
        // A value captured by an earlier graph keeps its old contents after an update.
        let captured = p.value
        p.assign([9, 10])
        XCTAssertEqual(captured.scalars, [7, 8])
    }

    func testLayersMatchTheirDefinitions() {
        let linear = Linear("fc", inputs: 3, outputs: 2, rng: RandomGenerator(seed: 2))
        linear.bias!.assign([0.5, -0.5])
        let x = Inputs(seed: 3).uniform([4, 3])
        XCTAssertEqual(linear(x).scalars, (x.matmul(linear.weight.value) + linear.bias!.value).scalars)
        let norm = LayerNorm("ln", width: 3)
        XCTAssertEqual(norm(x).scalars, x.layerNorm(gamma: .ones([3]), beta: .zeros([3])).scalars)
    }
}
