import Foundation
import TensorEngine

/// Training-step throughput of the engine on two fixed shapes, with the raw
/// `cblas_sgemm` rate measured in the same run for comparison.
public enum Benchmark {
    public struct Result {
        public var name: String
        public var steps: Int
        public var seconds: Double
        public var samplesPerStep: Int
        public var flopsPerStep: Double
        public var stepsPerSecond: Double { Double(steps) / seconds }
        public var samplesPerSecond: Double { stepsPerSecond * Double(samplesPerStep) }
        public var gflops: Double { flopsPerStep * stepsPerSecond / 1e9 }
    }

    /// GFLOP/s of `sgemm` alone on the given (M, K, N) products, run back to back.
    public static func sgemmRate(_ shapes: [(Int, Int, Int)], minimumSeconds: Double = 1) -> Double {
        let mats = shapes.map { (m, k, n) in
            (Tensor.uniform([m, k], low: -1, high: 1, rng: RandomGenerator(seed: 1)),
             Tensor.uniform([k, n], low: -1, high: 1, rng: RandomGenerator(seed: 2)))
        }
        let flops = shapes.reduce(0.0) { $0 + 2 * Double($1.0 * $1.1 * $1.2) }
        for (a, b) in mats { _ = a.matmul(b) }  // warm-up
        var reps = 0
        let start = Date()
        repeat {
            for (a, b) in mats { _ = a.matmul(b) }
            reps += 1
        } while Date().timeIntervalSince(start) < minimumSeconds
        return flops * Double(reps) / Date().timeIntervalSince(start) / 1e9
    }

    /// A training step: forward, MSE + PCC loss (+ aux), backward, Adam.
    static func time(name: String, model: SetRegressor, batch: SetBatch, flopsPerStep: Double, steps: Int,
                     loss: RegressionLoss = RegressionLoss(correlation: .pcc, lambdaPCC: 1),
                     everyStep: ((Int) -> Void)? = nil) -> Result {
        let params = model.parameters
        let opt = Adam(parameters: params, learningRate: 1e-4)
        func step() {
            let f = model.forward(batch.elements, mask: batch.mask, training: true)
            loss(f.prediction, batch.targets, auxiliary: f.pooled.auxiliaryLoss).total.backward()
            opt.step()
            opt.zeroGrad()
        }
        for _ in 0..<min(5, steps) { step() }
        let start = Date()
        for i in 0..<steps { step(); everyStep?(i) }
        return Result(name: name, steps: steps, seconds: Date().timeIntervalSince(start), samplesPerStep: batch.targets.count, flopsPerStep: flopsPerStep)
    }

    static func linearFlops(_ rows: Int, _ k: Int, _ n: Int) -> Double { 2 * Double(rows * k * n) }

    /// (a) 64 sets × 16 elements × 8 features, element MLP 8→32→32, tanh-MLP scorer (16), linear head.
    public static func setModel(aggregator: String, steps: Int, everyStep: ((Int) -> Void)? = nil) -> Result {
        let rng = RandomGenerator(seed: 3)
        let (b, n, f, d, l) = (64, 16, 8, 32, 16)
        let encoder = ElementMLP(inputWidth: f, widths: [d, d], activation: .relu, activateLast: true, name: "encoder", rng: rng)
        let scorer = Scorer(kind: .tanh, inputWidth: d, hiddenWidth: l, heads: 1, name: "aggregator.scorer", rng: rng)
        let agg: any Aggregator = aggregator == "eca"
            ? ECAAggregator(config: .init(), scorer: scorer, inputWidth: d, name: "aggregator", rng: rng)
            : SoftmaxAggregator(scorer: scorer, temperature: 1, inputWidth: d)
        let model = SetRegressor(encoder: encoder, aggregator: agg, head: LinearHead(inputWidth: d, name: "head", rng: rng))
        var g = HomogeneousSets()
        g.samples = b; g.minSize = n; g.maxSize = n; g.dimension = f
        let batch = g.generate().batch(Array(0..<b))
        let rows = b * n
        var fwd = linearFlops(rows, f, d) + linearFlops(rows, d, d) + linearFlops(rows, d, l) + linearFlops(rows, l, 1) + linearFlops(b, d, 1)
        if aggregator == "eca" { fwd += linearFlops(b, d, 16) + linearFlops(b, 16, 1) }
        return time(name: "set model (\(aggregator))", model: model, batch: batch, flopsPerStep: 3 * fwd, steps: steps, everyStep: everyStep)
    }

    /// The GEMM shapes of one FT-like step's forward pass (for the sgemm reference).
    static func transformerShapes(b: Int, n: Int, d: Int, ffn: Int, inputWidth: Int) -> [(Int, Int, Int)] {
        let rows = b * n
        return [(rows, inputWidth, d), (rows, d, 3 * d), (rows, d, d), (rows, d, ffn), (rows, ffn, d)]
    }

    /// (b) 256 rows × 28 feature tokens × 192 wide, one block of 8-head attention, softmax pooling, linear head.
    public static func transformer(steps: Int) -> (Result, [(Int, Int, Int)]) {
        let rng = RandomGenerator(seed: 4)
        let (b, n, d, h, ffn) = (256, 28, 192, 8, 384)
        let inputWidth = 2 * n
        let encoder = TransformerEncoder(inputWidth: inputWidth, width: d, heads: h, blocks: 1, ffnWidth: ffn, name: "encoder", rng: rng)
        let scorer = Scorer(kind: .tanh, inputWidth: d, hiddenWidth: 64, heads: 1, name: "aggregator.scorer", rng: rng)
        let model = SetRegressor(encoder: encoder, aggregator: SoftmaxAggregator(scorer: scorer, temperature: 1, inputWidth: d),
                                 head: LinearHead(inputWidth: d, name: "head", rng: rng))
        let x = Tensor.normal([b, n, inputWidth], std: 1, rng: rng)
        let batch = SetBatch(elements: x, mask: .ones([b, n]), targets: .normal([b], std: 1, rng: rng), indices: Array(0..<b))
        let shapes = transformerShapes(b: b, n: n, d: d, ffn: ffn, inputWidth: inputWidth)
        let rows = b * n
        var fwd = shapes.reduce(0.0) { $0 + linearFlops($1.0, $1.1, $1.2) }
        fwd += 2 * 2 * Double(b * h * n * n * (d / h))            // QKᵀ and AV
        fwd += linearFlops(rows, d, 64) + linearFlops(rows, 64, 1) + linearFlops(b, d, 1)
        return (time(name: "FT-like transformer", model: model, batch: batch, flopsPerStep: 3 * fwd, steps: steps), shapes)
    }

    /// Peak and current resident set size in MiB, from /proc (Linux).
    public static func memory() -> (current: Double, peak: Double) {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return (0, 0) }
        func field(_ name: String) -> Double {
            guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix(name) }) else { return 0 }
            return Double(line.split(separator: " ").dropFirst().first { Double($0) != nil }.flatMap { Double($0) } ?? 0) / 1024
        }
        return (field("VmRSS:"), field("VmHWM:"))
    }
}
