/// The normalised in-sample dispersion σ̃ of a dataset: how alike the elements of a set are.
///
///     σ̃ = sqrt( mean_s mean_i ‖x_si − μ_s‖² ) / sqrt( mean_{s,i} ‖x_si − μ‖² )
///
/// the within-set RMS deviation from each set's own mean over the RMS deviation
/// of all elements from the global mean. 0: every set is a repeated point;
/// near 1: sets are as spread as the whole dataset. Each set weighs by its
/// element count. Computed on the raw features the model receives.
public enum Homogeneity {
    public static func normalizedDispersion(_ data: SetDataset) -> Double {
        let f = data.featureWidth
        guard data.count > 0, f > 0 else { return 0 }
        var global = [Double](repeating: 0, count: f)
        let rows = data.elements.count / f
        guard rows > 0 else { return 0 }
        for r in 0..<rows { for j in 0..<f { global[j] += Double(data.elements[r * f + j]) } }
        for j in 0..<f { global[j] /= Double(rows) }
        var within = 0.0, total = 0.0
        var mu = [Double](repeating: 0, count: f)
        for s in 0..<data.count {
            let lo = data.offsets[s], hi = data.offsets[s + 1]
            guard hi > lo else { continue }
            for j in 0..<f { mu[j] = 0 }
            for r in lo..<hi { for j in 0..<f { mu[j] += Double(data.elements[r * f + j]) } }
            for j in 0..<f { mu[j] /= Double(hi - lo) }
            for r in lo..<hi {
                for j in 0..<f {
                    let v = Double(data.elements[r * f + j])
                    within += (v - mu[j]) * (v - mu[j])
                    total += (v - global[j]) * (v - global[j])
                }
            }
        }
        return total > 0 ? (within / total).squareRoot() : 0
    }
}
