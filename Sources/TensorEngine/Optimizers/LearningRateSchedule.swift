import Foundation

/// The learning rate as a function of the optimiser step.
public enum LearningRateSchedule: Equatable {
    case constant
    /// Linear ramp from 0 over `warmupSteps`, then constant.
    case linearWarmup(warmupSteps: Int)
    /// Optional linear warm-up, then cosine decay to `minFactor · base` at `totalSteps`.
    case cosine(warmupSteps: Int, totalSteps: Int, minFactor: Float)
    /// Multiply by `gamma` every `every` steps.
    case step(every: Int, gamma: Float)

    /// The learning rate at `step` (0-based) for base rate `base`.
    public func rate(at step: Int, base: Float) -> Float {
        switch self {
        case .constant:
            return base
        case .linearWarmup(let w):
            return w > 0 && step < w ? base * Float(step + 1) / Float(w) : base
        case .cosine(let w, let total, let minFactor):
            if w > 0 && step < w { return base * Float(step + 1) / Float(w) }
            let span = Swift.max(total - w, 1)
            let t = Swift.min(Float(step - w) / Float(span), 1)
            return base * (minFactor + (1 - minFactor) * 0.5 * (1 + Float(Foundation.cos(Double.pi * Double(t)))))
        case .step(let every, let gamma):
            return base * Float(Foundation.pow(Double(gamma), Double(step / Swift.max(every, 1))))
        }
    }
}
