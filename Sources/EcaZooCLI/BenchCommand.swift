import EcaZoo
import Foundation
import TensorEngine

enum BenchCommand {
    static let help = """
    usage: eca-zoo bench [--threads N] [--steps N] [--ft-steps N] [--memory-steps N]

    Times full training steps (forward, MSE + PCC loss, backward, Adam) in this
    build and prints steps/s, samples/s and GFLOP/s, next to the GFLOP/s that
    cblas_sgemm alone reaches on the same GEMM shapes in the same run:
      (a) set model: 64 sets × 16 elements × 8 features, MLP 8→32→32,
          tanh-MLP scorer, softmax or ECA pooling, linear head;
      (b) FT-like: 256 rows × 28 tokens × 192, one 8-head block + LayerNorm +
          feed-forward (384), attention pooling, linear head.
    Then checks that resident memory stays flat over --memory-steps set-model steps.
    Build with `swift build -c release`; debug builds are 10-100× slower.

    options:
      --threads N        BLAS threads (default 1: the one-core figures)
      --steps N          set-model steps per aggregator (default 3000)
      --ft-steps N       transformer steps (default 20)
      --memory-steps N   steps for the memory check (default 10000; 0 skips)
    """

    static func main(_ args: [String]) throws -> Int32 {
        let a = try Arguments(args, valued: ["threads", "steps", "ft-steps", "memory-steps"], flags: ["help"], command: "bench")
        if a.flags.contains("help") { print(help); return ExitStatus.ok }
        func int(_ k: String, _ d: Int) throws -> Int {
            guard let s = a.last(k) else { return d }
            guard let v = Int(s), v >= 0 else { throw UsageError(description: "bench: --\(k) must be a whole number ≥ 0, got \(s)") }
            return v
        }
        let threads = max(try int("threads", 1), 1), steps = try int("steps", 3000), ftSteps = try int("ft-steps", 20)
        let memorySteps = try int("memory-steps", 10_000)
        setBLASThreads(threads)
        print("eca-zoo bench \(EcaZooVersion.string), BLAS threads \(threads)")
        for agg in ["softmax", "eca"] {
            let r = Benchmark.setModel(aggregator: agg, steps: steps)
            print(String(format: "(a) %@: %.0f steps/s, %.0f samples/s, %.2f GFLOP/s", r.name, r.stepsPerSecond, r.samplesPerSecond, r.gflops))
        }
        if ftSteps > 0 {
            let (r, shapes) = Benchmark.transformer(steps: ftSteps)
            let blas = Benchmark.sgemmRate(shapes)
            print(String(format: "(b) %@: %.2f steps/s, %.0f samples/s, %.1f GFLOP/s of the whole step", r.name, r.stepsPerSecond, r.samplesPerSecond, r.gflops))
            print(String(format: "    sgemm alone on the step's GEMM shapes: %.1f GFLOP/s → the step reaches %.0f%% of it", blas, 100 * r.gflops / blas))
        }
        if memorySteps > 0 {
            var samples: [(Int, Double)] = []
            _ = Benchmark.setModel(aggregator: "eca", steps: memorySteps) { i in
                if i == 100 || (i + 1) % max(memorySteps / 5, 1) == 0 { samples.append((i + 1, Benchmark.memory().current)) }
            }
            let shown = samples.map { String(format: "%d: %.1f", $0.0, $0.1) }.joined(separator: ", ")
            print("resident memory (MiB) by step over \(memorySteps) ECA steps: \(shown); peak \(String(format: "%.1f", Benchmark.memory().peak))")
        }
        return ExitStatus.ok
    }
}
