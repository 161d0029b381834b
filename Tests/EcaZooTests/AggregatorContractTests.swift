import XCTest
@testable import EcaZoo
import TensorEngine

/// The contract every registered aggregator keeps, checked over the whole
/// registry (built-ins, later additions and plugins alike): output shape,
/// finite values, permutation invariance, reproducible construction and a
/// gradient on every parameter.
final class AggregatorContractTests: XCTestCase {
    let sizes = [3, 5, 1, 4, 2]

    func testBuiltinsAreRegistered() {
        let names = ZooFixtures.aggregatorNames
        for builtin in ["mean", "max", "softmax", "gated", "pma", "linear", "signed", "eca"] {
            XCTAssertTrue(names.contains(builtin), "\(builtin) is not registered; registered: \(names)")
        }
    }

    func testOutputShapesAndFiniteValues() throws {
        for width in [4, 7] {
            let x = PaddedSets.random(sizes: sizes, width: width, seed: 5, length: 6, scale: 2)
            for built in try ZooFixtures.allAggregators(inputWidth: width, seed: 1) {
                let label = "\(built.label) (D = \(width))"
                let pooled = built.aggregator(x.elements, mask: x.mask)
                XCTAssertGreaterThan(built.aggregator.outputWidth, 0, label)
                XCTAssertEqual(pooled.output.shape, [x.batch, built.aggregator.outputWidth], "\(label): output shape")
                XCTAssertTrue(pooled.output.scalars.allSatisfy(\.isFinite), "\(label): output \(pooled.output)")
                for (what, t) in [("weights", pooled.weights), ("logits", pooled.logits)] {
                    guard let t else { continue }
                    XCTAssertEqual(t.rank, 3, "\(label): \(what) must be [B, N, H]")
                    XCTAssertEqual(Array(t.shape.prefix(2)), [x.batch, x.length], "\(label): \(what) shape \(t.shape)")
                    XCTAssertTrue(t.scalars.allSatisfy(\.isFinite), "\(label): \(what) not finite")
                }
                for (name, value) in pooled.perSample {
                    XCTAssertEqual(value.shape, [x.batch], "\(label): per-sample \(name) shape")
                    XCTAssertTrue(value.scalars.allSatisfy(\.isFinite), "\(label): \(name) \(value)")
                }
                if let aux = pooled.auxiliaryLoss {
                    XCTAssertEqual(aux.count, 1, "\(label): the auxiliary loss must be a scalar")
                    XCTAssertTrue(aux.item.isFinite && aux.item >= 0, "\(label): auxiliary loss \(aux.item)")
                }
            }
        }
    }

    func testPermutingTheElementsOfASetChangesNothing() throws {
        let x = PaddedSets.random(sizes: sizes, width: 4, seed: 8, length: 6)
        // `cls` reads position 0, where its encoder puts the [CLS] token: order-dependent by design.
        for built in try ZooFixtures.allAggregators(inputWidth: 4, seed: 2) where built.name != "cls" {
            let a = Autograd.withoutGradients { built.aggregator(x.elements, mask: x.mask) }
            for seed: UInt64 in 1...3 {
                let y = x.permuted(seed: seed)
                let b = Autograd.withoutGradients { built.aggregator(y.elements, mask: y.mask) }
                assertClose(b.output.scalars, a.output.scalars, "\(built.label): permutation \(seed)")
                for (name, value) in a.perSample {
                    let other = b.perSample.first { $0.name == name }?.value.scalars ?? []
                    assertClose(other, value.scalars, "\(built.label): \(name) under permutation \(seed)")
                }
            }
        }
    }

    func testTheSameSeedBuildsTheSameAggregator() throws {
        let x = PaddedSets.random(sizes: sizes, width: 4, seed: 9)
        let first = try ZooFixtures.allAggregators(inputWidth: 4, seed: 31)
        let second = try ZooFixtures.allAggregators(inputWidth: 4, seed: 31)
        for (a, b) in zip(first, second) {
            XCTAssertEqual(a.aggregator.parameters.map(\.name), b.aggregator.parameters.map(\.name), a.label)
            let va = Autograd.withoutGradients { a.aggregator(x.elements, mask: x.mask) }.output.scalars
            let vb = Autograd.withoutGradients { b.aggregator(x.elements, mask: x.mask) }.output.scalars
            XCTAssertEqual(va, vb, "\(a.label): the same seed must give the same output bit for bit")
        }
    }

    /// Parameter names are unique, prefixed by the build context's name, and every
    /// parameter receives a finite gradient from the training loss (ECA's γ MLP
    /// through SRA and the γ regulariser; β when learnable).
    func testEveryParameterGetsAGradient() throws {
        let x = PaddedSets.random(sizes: sizes, width: 4, seed: 13, scale: 1.5)
        let targets = Tensor((0..<x.batch).map { Float($0) * 0.7 - 1 }, shape: [x.batch])
        for built in try ZooFixtures.allAggregators(inputWidth: 4, seed: 6) {
            let label = built.label
            let names = built.aggregator.parameters.map(\.name)
            XCTAssertEqual(Set(names).count, names.count, "\(label): duplicate parameter names \(names)")
            for name in names { XCTAssertTrue(name.hasPrefix("aggregator."), "\(label): parameter \(name) lacks the prefix") }

            let head = LinearHead(inputWidth: built.aggregator.outputWidth, name: "head", rng: RandomGenerator(seed: 1))
            for p in built.aggregator.parameters { p.zeroGrad() }
            let leaf = x.elements.detached().requiringGrad()
            let pooled = built.aggregator(leaf, mask: x.mask)
            let terms = RegressionLoss(correlation: .pcc)(head(pooled.output), targets, auxiliary: pooled.auxiliaryLoss)
            XCTAssertTrue(terms.total.item.isFinite, "\(label): loss \(terms.total.item)")
            terms.total.backward()

            let dx = try XCTUnwrap(leaf.grad, "\(label): no gradient reaches the elements").scalars
            XCTAssertTrue(dx.allSatisfy(\.isFinite), "\(label): element gradient")
            XCTAssertTrue(dx.contains { $0 != 0 }, "\(label): the element gradient is all zero")
            for p in built.aggregator.parameters {
                let g = try XCTUnwrap(p.grad, "\(label): parameter \(p.name) got no gradient")
                XCTAssertEqual(g.shape, p.value.shape, "\(label): \(p.name) gradient shape")
                XCTAssertTrue(g.scalars.allSatisfy(\.isFinite), "\(label): \(p.name) gradient \(g)")
            }
            if built.name == "eca", let sra = built.config["sra"]?.boolValue, !sra {
                XCTAssertFalse(names.contains { $0.contains("gamma") }, "\(label): no γ MLP without SRA")
            } else if built.name == "eca" {
                let gammaGrads = built.aggregator.parameters.filter { $0.name.contains("gamma") }
                XCTAssertFalse(gammaGrads.isEmpty, "\(label): SRA must own the γ MLP")
                XCTAssertTrue(gammaGrads.contains { $0.grad!.scalars.contains { $0 != 0 } }, "\(label): γ never learns")
            }
        }
    }
}
