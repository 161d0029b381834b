import Foundation

/// The one seedable generator used everywhere: xoshiro256** seeded through SplitMix64.
///
/// The same seed reproduces the same weights, shuffles, dropout masks and
/// synthetic data bit for bit. A reference type so components can share one stream.
public final class RandomGenerator {
    var s0: UInt64, s1: UInt64, s2: UInt64, s3: UInt64

    public init(seed: UInt64) {
        var x = seed
        func splitmix() -> UInt64 {
            x &+= 0x9E37_79B9_7F4A_7C15
            var z = x
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        s0 = splitmix(); s1 = splitmix(); s2 = splitmix(); s3 = splitmix()
    }

    /// An independent generator derived from this one's stream and a label (e.g. per data split).
    public func fork() -> RandomGenerator { RandomGenerator(seed: next()) }

    @inline(__always)
    public func next() -> UInt64 {
        let result = ((s1 &* 5) << 7 | (s1 &* 5) >> 57) &* 9
        let t = s1 << 17
        s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3
        s2 ^= t
        s3 = (s3 << 45) | (s3 >> 19)
        return result
    }

    /// Uniform in [0, 1).
    @inline(__always)
    public func uniform() -> Float { Float(next() >> 40) * (1.0 / 16_777_216.0) }

    /// Uniform in [low, high).
    public func uniform(_ low: Float, _ high: Float) -> Float {
        let v = low + (high - low) * uniform()
        // For the largest draws the product can round up onto `high`; keep the interval half-open.
        return v >= high && low < high ? high.nextDown : v
    }

    /// Standard normal (Box–Muller).
    public func normal() -> Float {
        let u1 = Double((next() >> 11) + 1) * (1.0 / 9_007_199_254_740_993.0)
        let u2 = Double(next() >> 11) * (1.0 / 9_007_199_254_740_992.0)
        return Float((-2 * Foundation.log(u1)).squareRoot() * Foundation.cos(2 * Double.pi * u2))
    }

    /// Uniform integer in `0..<n` (Lemire's rejection-free-enough multiply; n ≪ 2⁶⁴).
    public func int(below n: Int) -> Int {
        precondition(n > 0, "RandomGenerator.int(below:): n must be positive")
        return Int(next().multipliedFullWidth(by: UInt64(n)).high)
    }

    /// Fisher–Yates shuffle.
    public func shuffle<T>(_ a: inout [T]) {
        guard a.count > 1 else { return }
        for i in stride(from: a.count - 1, to: 0, by: -1) { a.swapAt(i, int(below: i + 1)) }
    }
}
