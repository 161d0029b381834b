import XCTest
@testable import EcaZoo
import TensorEngine

/// The FT-Transformer-style encoder in each configuration the recipe offers:
/// gradients match finite differences, padding is never attended to, a [CLS]
/// token extends the mask, and dropout acts only in training.
final class TransformerEncoderTests: XCTestCase {
    let sets = PaddedSets.random(sizes: [3, 5], width: 4, seed: 21)

    func encoder(norm: String = "pre", activation: String = "gelu", dropout: Double = 0, cls: Bool = false) throws -> any Encoder {
        Zoo.registerBuiltins()
        let config: JSONValue = ["width": 8, "heads": 2, "blocks": 2, "ffn_factor": 1,
                                 "norm": .string(norm), "activation": .string(activation),
                                 "dropout": .number(dropout), "cls_token": .bool(cls)]
        let r = try ZooFixtures.reader(config, path: "model.encoder")
        let built = try Zoo.encoders.entry("transformer")!.factory(r, BuildContext(inputWidth: 4, rng: RandomGenerator(seed: 3), name: "encoder"))
        try r.finish()
        return built
    }

    func testGradientsMatchFiniteDifferencesPreAndPostNorm() throws {
        // GELU keeps the function smooth; ReLU kinks make finite differences
        // unreliable across two blocks, so those are checked below by other means.
        let weights = Tensor.normal([2, 5, 8], std: 1, rng: RandomGenerator(seed: 4))
        for norm in ["pre", "post"] {
            let e = try encoder(norm: norm, activation: "gelu")
            let m = sets.mask
            checkGradients("transformer \(norm)-norm", input: sets.elements, parameters: e.parameters) {
                (e($0, mask: m, training: false) * weights * m.unsqueezed(axis: 2)).sum()
            }
        }
    }

    func testReluAndRegluTrainEveryParameter() throws {
        for activation in ["relu", "reglu"] {
            for norm in ["pre", "post"] {
                let e = try encoder(norm: norm, activation: activation)
                let h = e(sets.elements, mask: sets.mask, training: false)
                XCTAssertTrue(h.scalars.allSatisfy(\.isFinite), "\(norm)/\(activation)")
                (h * h).sum().backward()
                for p in e.parameters {
                    XCTAssertNotNil(p.grad, "\(norm)/\(activation): \(p.name) has no gradient")
                    XCTAssertTrue(p.grad!.scalars.contains { $0 != 0 }, "\(norm)/\(activation): \(p.name) gradient is all zero")
                    p.zeroGrad()
                }
            }
        }
        // ReGLU splits W₁'s output into a gate and a value: W₁ is twice as wide.
        let reglu = try encoder(activation: "reglu")
        XCTAssertEqual(reglu.parameters.first { $0.name == "encoder.block1.ff1.weight" }?.value.shape, [8, 16])
        XCTAssertEqual(reglu.parameters.first { $0.name == "encoder.block1.ff2.weight" }?.value.shape, [8, 8])
    }

    func testPaddedElementsDoNotChangeRealOutputs() throws {
        let e = try encoder()
        let junk = sets.repadded(to: 7) { _, _, _ in 1e3 }
        let a = Autograd.withoutGradients { e(sets.elements, mask: sets.mask, training: false) }
        let b = Autograd.withoutGradients { e(junk.elements, mask: junk.mask, training: false) }
        for (s, n) in [(0, 3), (1, 5)] {
            assertClose(Array(b.scalars[(s * 7 * 8)..<((s * 7 + n) * 8)]), Array(a.scalars[(s * 5 * 8)..<((s * 5 + n) * 8)]),
                        "set \(s)")
        }
    }

    func testAClsTokenAddsOneRealElementInFront() throws {
        let e = try encoder(cls: true)
        let h = Autograd.withoutGradients { e(sets.elements, mask: sets.mask, training: false) }
        XCTAssertEqual(h.shape, [2, 6, 8])
        XCTAssertEqual(e.outputMask(sets.mask).scalars, [1, 1, 1, 1, 0, 0, 1, 1, 1, 1, 1, 1])
    }

    func testDropoutActsOnlyInTraining() throws {
        let e = try encoder(dropout: 0.5)
        let eval1 = Autograd.withoutGradients { e(sets.elements, mask: sets.mask, training: false) }.scalars
        let eval2 = Autograd.withoutGradients { e(sets.elements, mask: sets.mask, training: false) }.scalars
        XCTAssertEqual(eval1, eval2)
        let train = Autograd.withoutGradients { e(sets.elements, mask: sets.mask, training: true) }.scalars
        XCTAssertNotEqual(train, eval1)
    }
}
