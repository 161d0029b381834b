import Foundation
import TensorEngine

/// The paper's mechanisms measured on the current model and one validation batch.
///
/// - `grad_rms_{mse,pcc}_{logits,pooled}`: RMS of ∂L_MSE and ∂(1 − ρ) with respect to
///   the attention logits and the pooled vectors; `grad_ratio_*` = PCC / MSE
///   (the quantity of Corollary 2.1), beside `sigma_pred`.
/// - `hull_radius`: mean over sets of max_i ‖h_si − μ_s‖ (element embeddings);
///   `extrapolation`: mean of ‖v_s − μ_s‖ / radius_s (> 1 means outside the hull's ball).
/// - `attention_entropy`: mean over sets of −Σ α log α (heads averaged), if the aggregator has weights.
/// - the mean of every per-sample diagnostic the aggregator reports (`tau`, `gamma`).
/// - Theorem 2.2: `bound_rho_gain = 2R̃ / (σ₀/‖w‖ − R̃)` with R̃ the mean hull radius,
///   σ₀ the spread of the predictions the current head makes from mean-pooled
///   embeddings, and ‖w‖ the norm of a linear head's weights; absent when the head
///   is not linear or the bound is vacuous (denominator ≤ 0).
public enum EpochDiagnostics {
    public static func measure(model: SetRegressor, batch: SetBatch) -> [String: Double] {
        var out: [String: Double] = [:]
        let y = batch.targets
        // Two passes, one per loss term, so each gradient is measured alone.
        for (term, name) in [(0, "mse"), (1, "pcc")] {
            let f = model.forward(batch.elements, mask: batch.mask, training: false)
            var pooled = f.pooled.output, prediction = f.prediction
            if pooled.requiresGrad {
                pooled = pooled.retainingGrad()
            } else {
                // Nothing trainable before the head (identity encoder, mean pooling): the
                // pooled vectors are constants, so differentiate the head from a leaf copy.
                pooled = pooled.requiringGrad()
                prediction = model.head(pooled)
            }
            let logits = f.pooled.logits?.retainingGrad()
            let loss = term == 0 ? RegressionLoss.mse(prediction, y) : RegressionLoss.pccLoss(prediction, y)
            loss.backward()
            if let g = pooled.grad { out["grad_rms_\(name)_pooled"] = rms(g) }
            if let g = logits?.grad { out["grad_rms_\(name)_logits"] = rms(g) }
            for p in model.parameters { p.zeroGrad() }
        }
        for part in ["pooled", "logits"] {
            if let a = out["grad_rms_pcc_\(part)"], let b = out["grad_rms_mse_\(part)"], b > 0 { out["grad_ratio_\(part)"] = a / b }
        }

        Autograd.withoutGradients {
            let f = model.forward(batch.elements, mask: batch.mask, training: false)
            let h = f.embeddings, v = f.pooled.output, mask = f.mask
            let mu = SetMath.mean(h, mask: mask)
            let b = h.shape[0], n = h.shape[1], d = h.shape[2]
            let ph = h.scalars, pm = mask.scalars, pmu = mu.scalars
            let dv = v.shape[1] == d ? v.scalars : []
            var radiusSum = 0.0, extraSum = 0.0, extraCount = 0
            for s in 0..<b {
                var r = 0.0
                for i in 0..<n where pm[s * n + i] != 0 {
                    var q = 0.0
                    for j in 0..<d { let t = Double(ph[(s * n + i) * d + j] - pmu[s * d + j]); q += t * t }
                    r = max(r, q.squareRoot())
                }
                radiusSum += r
                if !dv.isEmpty, r > 1e-12 {
                    var q = 0.0
                    for j in 0..<d { let t = Double(dv[s * d + j] - pmu[s * d + j]); q += t * t }
                    extraSum += q.squareRoot() / r
                    extraCount += 1
                }
            }
            let radius = radiusSum / Double(max(b, 1))
            out["hull_radius"] = radius
            if extraCount > 0 { out["extrapolation"] = extraSum / Double(extraCount) }
            let pred = f.prediction.scalars
            out["sigma_pred"] = stdev(pred)
            if let w = f.pooled.weights {
                let heads = w.shape[2], pw = w.scalars
                var ent = 0.0
                for s in 0..<b {
                    var e = 0.0
                    for i in 0..<n where pm[s * n + i] != 0 {
                        for hd in 0..<heads {
                            let a = Double(pw[(s * n + i) * heads + hd])
                            if a > 0 { e -= a * Foundation.log(a) }
                        }
                    }
                    ent += e / Double(heads)
                }
                out["attention_entropy"] = ent / Double(max(b, 1))
            }
            for (name, value) in f.pooled.perSample { out[name] = mean(value.scalars) }
            if let head = model.head as? LinearHead, d == head.layer.weight.value.shape[0] {
                let wnorm = Double(head.layer.weight.value.scalars.reduce(0) { $0 + $1 * $1 }.squareRoot())
                let sigma0 = stdev(head(mu).scalars)
                out["sigma0_mean_pool"] = sigma0
                let denom = wnorm > 0 ? sigma0 / wnorm - radius : 0
                if denom > 0 { out["bound_rho_gain"] = 2 * radius / denom }
            }
        }
        return out
    }

    static func rms(_ t: Tensor) -> Double {
        let s = t.scalars
        return (s.reduce(0.0) { $0 + Double($1) * Double($1) } / Double(max(s.count, 1))).squareRoot()
    }

    static func mean(_ v: [Float]) -> Double { v.reduce(0.0) { $0 + Double($1) } / Double(max(v.count, 1)) }

    static func stdev(_ v: [Float]) -> Double {
        let m = mean(v)
        return (v.reduce(0.0) { $0 + (Double($1) - m) * (Double($1) - m) } / Double(max(v.count, 1))).squareRoot()
    }
}
