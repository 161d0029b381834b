/// Proposition 2.1: `MSE = (μ_ŷ − μ_y)² + (σ_ŷ − σ_y)² + 2 σ_ŷ σ_y (1 − ρ)`,
/// with population standard deviations. The three terms add up to the MSE exactly
/// (up to rounding), so a run shows how much error is mean, scale or order.
public struct MSEDecomposition: Equatable {
    public var meanTerm: Double
    public var scaleTerm: Double
    public var correlationTerm: Double
    public var total: Double { meanTerm + scaleTerm + correlationTerm }

    public init(predictions p: [Float], targets y: [Float]) {
        let n = Double(max(p.count, 1))
        let mp = p.reduce(0.0) { $0 + Double($1) } / n, my = y.reduce(0.0) { $0 + Double($1) } / n
        var vp = 0.0, vy = 0.0, cov = 0.0
        for i in p.indices {
            let a = Double(p[i]) - mp, b = Double(y[i]) - my
            vp += a * a; vy += b * b; cov += a * b
        }
        let sp = (vp / n).squareRoot(), sy = (vy / n).squareRoot()
        let rho = sp > 0 && sy > 0 ? (cov / n) / (sp * sy) : 0
        meanTerm = (mp - my) * (mp - my)
        scaleTerm = (sp - sy) * (sp - sy)
        correlationTerm = 2 * sp * sy * (1 - rho)
    }
}
