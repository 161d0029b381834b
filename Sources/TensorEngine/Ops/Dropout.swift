extension Tensor {
    /// Inverted dropout: zeroes each element with probability `p` and scales the rest by 1/(1−p).
    /// The mask comes from `rng`, so a seed reproduces it exactly.
    public func dropout(_ p: Float, rng: RandomGenerator) -> Tensor {
        precondition(p >= 0 && p < 1, "dropout: probability \(p) must be in [0, 1)")
        if p == 0 { return self }
        let mask = Tensor.uninitialized(shape)
        let pm = mask.storage.data
        let scale = 1 / (1 - p)
        for i in 0..<count { pm[i] = rng.uniform() < p ? 0 : scale }
        return self * mask
    }
}
