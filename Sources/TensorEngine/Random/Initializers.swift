extension Tensor {
    /// Uniform in [low, high).
    public static func uniform(_ shape: [Int], low: Float, high: Float, rng: RandomGenerator) -> Tensor {
        let t = Tensor.uninitialized(shape)
        for i in 0..<t.count { t.storage.data[i] = rng.uniform(low, high) }
        return t
    }

    /// Normal with the given mean and standard deviation.
    public static func normal(_ shape: [Int], mean: Float = 0, std: Float, rng: RandomGenerator) -> Tensor {
        let t = Tensor.uninitialized(shape)
        for i in 0..<t.count { t.storage.data[i] = mean + std * rng.normal() }
        return t
    }

    /// Xavier/Glorot uniform: U(±sqrt(6 / (fanIn + fanOut))).
    public static func xavierUniform(_ shape: [Int], fanIn: Int, fanOut: Int, rng: RandomGenerator) -> Tensor {
        let a = (6 / Float(fanIn + fanOut)).squareRoot()
        return uniform(shape, low: -a, high: a, rng: rng)
    }

    /// Kaiming/He uniform for ReLU-like layers: U(±sqrt(6 / fanIn)).
    public static func kaimingUniform(_ shape: [Int], fanIn: Int, rng: RandomGenerator) -> Tensor {
        let a = (6 / Float(fanIn)).squareRoot()
        return uniform(shape, low: -a, high: a, rng: rng)
    }

    /// Kaiming/He normal: N(0, 2 / fanIn).
    public static func kaimingNormal(_ shape: [Int], fanIn: Int, rng: RandomGenerator) -> Tensor {
        normal(shape, std: (2 / Float(fanIn)).squareRoot(), rng: rng)
    }
}
