import Foundation

/// The figures of a run, built from its epoch records.
public enum RunPlots {
    /// One curve set to overlay: a run's label and its records.
    public struct Run {
        public var label: String
        public var records: [EpochRecord]
        public var plateauEpoch: Int?
        public init(label: String, records: [EpochRecord], plateauEpoch: Int?) {
            self.label = label
            self.records = records
            self.plateauEpoch = plateauEpoch
        }
    }

    /// Validation PCC, validation MSE, the PCC/MSE gradient ratio and σ_ŷ, with plateau markers.
    public static func curves(_ runs: [Run], title: String) -> String {
        func series(_ name: String, _ r: Run, _ value: (EpochRecord) -> Double?, color: String?, dashed: Bool = false) -> SVGPlot.Series {
            let points = r.records.compactMap { rec in value(rec).map { (Double(rec.epoch), $0) } }
            return SVGPlot.Series(name: name, x: points.map(\.0), y: points.map(\.1), dashed: dashed, color: color)
        }
        var pcc: [SVGPlot.Series] = [], mse: [SVGPlot.Series] = [], ratio: [SVGPlot.Series] = [], sigma: [SVGPlot.Series] = []
        var markers: [SVGPlot.Marker] = []
        for (i, r) in runs.enumerated() {
            let color = SVGPlot.palette[i % SVGPlot.palette.count]
            let multi = runs.count > 1
            pcc.append(series(multi ? "\(r.label) val" : "validation", r, { $0.validation.pcc }, color: color))
            pcc.append(series(multi ? "\(r.label) test" : "test", r, { $0.test?.pcc }, color: color, dashed: true))
            mse.append(series(multi ? "\(r.label) val" : "validation", r, { $0.validation.mse }, color: color))
            mse.append(series(multi ? "\(r.label) train" : "train (standardised)", r, { $0.trainMSE }, color: color, dashed: true))
            ratio.append(series(r.label, r, { $0.diagnostics["grad_ratio_pooled"] }, color: color))
            sigma.append(series(r.label, r, { $0.diagnostics["sigma_pred"] }, color: color))
            if let p = r.plateauEpoch { markers.append(SVGPlot.Marker(x: Double(p), label: multi ? "\(r.label) plateau (epoch \(p))" : "plateau (epoch \(p))", color: color)) }
        }
        let panels = [
            SVGPlot.Panel(title: "PCC", xLabel: "epoch", yLabel: "Pearson r", series: pcc, markers: markers),
            SVGPlot.Panel(title: "MSE (target units)", xLabel: "epoch", yLabel: "MSE", series: mse, markers: markers, logY: true),
            SVGPlot.Panel(title: "PCC/MSE gradient ratio at the pooled vector", xLabel: "epoch", yLabel: "RMS ratio", series: ratio, markers: markers, logY: true),
            SVGPlot.Panel(title: "σ of predictions (standardised)", xLabel: "epoch", yLabel: "σ_ŷ", series: sigma, markers: markers),
        ]
        return SVGPlot.render(panels: panels, columns: 2, title: title)
    }
}
