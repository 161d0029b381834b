import Foundation

/// The summary of a sweep: every completed run under `SWEEP_DIR/runs`, grouped
/// by member name with the seed part removed, as mean ± std over seeds.
///
/// Writes `report.md` (one table per metric, best group in bold), `report.csv`,
/// `curves.svg` (validation PCC and MSE per group: the mean, with mean ± std
/// dashed) and `bars.svg` (test PCC per group: mean points with ±std whiskers).
public struct SweepReport {
    /// A metric the report tabulates.
    public struct Metric: Sendable {
        public var title: String
        public var column: String
        public var higherIsBetter: Bool
        public var value: @Sendable (JSONValue) -> Double?
    }

    /// Test PCC, test MSE, test MAE and validation PCC, at each run's best epoch.
    public static let metrics: [Metric] = [
        Metric(title: "test PCC", column: "test_pcc", higherIsBetter: true) { $0["best"]?["test"]?["pcc"]?.doubleValue },
        Metric(title: "test MSE", column: "test_mse", higherIsBetter: false) { $0["best"]?["test"]?["mse"]?.doubleValue },
        Metric(title: "test MAE", column: "test_mae", higherIsBetter: false) { $0["best"]?["test"]?["mae"]?.doubleValue },
        Metric(title: "validation PCC", column: "val_pcc", higherIsBetter: true) { $0["best"]?["val"]?["pcc"]?.doubleValue },
    ]

    /// The runs of one group.
    public struct Group {
        public var name: String
        public var runs: [RunReader.LoadedRun]
    }

    public let directory: String
    public let groups: [Group]
    /// Run directories that were skipped (not completed), by name.
    public let skipped: [String]

    /// Reads every run directory under `directory/runs`.
    /// - Throws: ``DataError`` if there is no `runs` folder or no completed run in it.
    public static func load(directory: String) throws -> SweepReport {
        let runs = directory + "/runs"
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: runs) else {
            throw DataError.noSuchFile(file: runs)
        }
        // Member order from the state files when present, so groups read in plan order.
        var order: [String: Int] = [:]
        let stateFiles = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [])
            .filter { $0.hasPrefix("sweep") && $0.hasSuffix(".json") }
        for file in stateFiles {
            guard case .array(let members)? = (try? JSONParser.parse(file: directory + "/" + file))?["members"] else { continue }
            for m in members {
                if let name = m["name"]?.stringValue, let index = m["index"]?.intValue { order[name] = index }
            }
        }
        let sorted = names.filter { !$0.hasPrefix(".") }.sorted { a, b in
            switch (order[a], order[b]) {
            case let (x?, y?): return x < y
            case (_?, nil): return true
            case (nil, _?): return false
            default: return a < b
            }
        }
        var groups: [Group] = []
        var skipped: [String] = []
        for name in sorted {
            let path = runs + "/" + name
            guard SweepRunner.isCompleted(path), let run = try? RunReader.read(directory: path) else {
                skipped.append(name)
                continue
            }
            let group = SweepPlan.groupName(of: name)
            if let k = groups.firstIndex(where: { $0.name == group }) { groups[k].runs.append(run) } else {
                groups.append(Group(name: group, runs: [run]))
            }
        }
        guard !groups.isEmpty else { throw DataError.invalid(file: runs, row: nil, column: nil, reason: "no completed runs") }
        return SweepReport(directory: directory, groups: groups, skipped: skipped)
    }

    /// Mean and sample standard deviation (0 for one value) of the finite values.
    public static func meanStd(_ values: [Double]) -> (mean: Double, std: Double, count: Int) {
        let v = values.filter(\.isFinite)
        guard !v.isEmpty else { return (.nan, .nan, 0) }
        let mean = v.reduce(0, +) / Double(v.count)
        guard v.count > 1 else { return (mean, 0, 1) }
        let variance = v.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(v.count - 1)
        return (mean, variance.squareRoot(), v.count)
    }

    /// `metric` over the seeds of `group`.
    public func statistic(_ metric: Metric, _ group: Group) -> (mean: Double, std: Double, count: Int) {
        SweepReport.meanStd(group.runs.map { metric.value($0.summary) ?? .nan })
    }

    // MARK: - Outputs

    /// Writes report.md, report.csv, curves.svg and bars.svg; returns their paths.
    @discardableResult
    public func write() throws -> [String] {
        let files: [(String, String)] = [
            ("report.md", markdown()), ("report.csv", csv()), ("curves.svg", curves()), ("bars.svg", bars()),
        ]
        for (name, text) in files { try AtomicFile.write(Data(text.utf8), to: directory + "/" + name) }
        return files.map { directory + "/" + $0.0 }
    }

    public func markdown() -> String {
        let title = (directory as NSString).lastPathComponent
        var text = "# Sweep report: \(title)\n\n"
        text += "\(groups.reduce(0) { $0 + $1.runs.count }) completed runs in \(groups.count) groups; "
        text += "each cell is the mean ± standard deviation over seeds at each run's best validation epoch; the best group is in bold.\n"
        if !skipped.isEmpty { text += "\nNot completed (left out): \(skipped.joined(separator: ", ")).\n" }
        for metric in SweepReport.metrics {
            let stats = groups.map { statistic(metric, $0) }
            let best = stats.indices.filter { stats[$0].count > 0 }.max { a, b in
                metric.higherIsBetter ? stats[a].mean < stats[b].mean : stats[a].mean > stats[b].mean
            }
            let rows = groups.indices.map { i -> [String] in
                let s = stats[i]
                var cell = s.count == 0 ? "n/a" : "\(fmt(s.mean)) ± \(fmt(s.std))"
                if i == best { cell = "**\(cell)**" }
                return [groups[i].name, cell, "\(s.count)"]
            }
            text += "\n## \(metric.title) (\(metric.higherIsBetter ? "higher" : "lower") is better)\n\n"
            text += MarkdownTable.render(headers: ["group", metric.title, "seeds"], rows: rows)
        }
        return text
    }

    public func csv() -> String {
        var header = ["group", "seeds"]
        for m in SweepReport.metrics { header += [m.column + "_mean", m.column + "_std"] }
        var lines = [header.joined(separator: ",")]
        for g in groups {
            var cells = [CSVTable.field(g.name), "\(g.runs.count)"]
            for m in SweepReport.metrics {
                let s = statistic(m, g)
                cells += [s.count == 0 ? "" : "\(s.mean)", s.count == 0 ? "" : "\(s.std)"]
            }
            lines.append(cells.joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Validation PCC and MSE per group: the mean over seeds, and mean ± std dashed.
    public func curves() -> String {
        var pcc: [SVGPlot.Series] = [], mse: [SVGPlot.Series] = []
        for (i, g) in groups.enumerated() {
            let color = SVGPlot.palette[i % SVGPlot.palette.count]
            for (panel, value) in [(0, { (r: EpochRecord) in r.validation.pcc }), (1, { (r: EpochRecord) in r.validation.mse })] {
                let epochs = g.runs.map { $0.records.map(\.epoch).max() ?? 0 }.max() ?? 0
                var x: [Double] = [], mean: [Double] = [], lo: [Double] = [], hi: [Double] = []
                for e in 1..<(epochs + 1) {
                    let s = SweepReport.meanStd(g.runs.compactMap { run in run.records.first { $0.epoch == e }.map(value) })
                    guard s.count > 0 else { continue }
                    x.append(Double(e)); mean.append(s.mean); lo.append(s.mean - s.std); hi.append(s.mean + s.std)
                }
                let lines = [SVGPlot.Series(name: g.name, x: x, y: mean, color: color)]
                    + (g.runs.count > 1 ? [SVGPlot.Series(name: "\(g.name) ± std", x: x, y: lo, dashed: true, color: color),
                                           SVGPlot.Series(name: "\(g.name) ± std ", x: x, y: hi, dashed: true, color: color)] : [])
                if panel == 0 { pcc += lines } else { mse += lines }
            }
        }
        return SVGPlot.render(panels: [
            SVGPlot.Panel(title: "validation PCC (mean over seeds, ± std dashed)", xLabel: "epoch", yLabel: "Pearson r", series: pcc),
            SVGPlot.Panel(title: "validation MSE (mean over seeds, ± std dashed)", xLabel: "epoch", yLabel: "MSE", series: mse, logY: true),
        ], columns: 2, title: (directory as NSString).lastPathComponent)
    }

    /// Test PCC per group as points with ±std whiskers on an axis zoomed to the
    /// data: differences of a few thousandths between variants stay visible, and
    /// no bar length suggests a ratio to zero that the metric does not have.
    public func bars() -> String {
        let metric = SweepReport.metrics[0]
        let stats = groups.map { statistic(metric, $0) }
        let labelWidth = Double(min(60, groups.map(\.name.count).max() ?? 10)) * 7 + 20
        let plotWidth = 420.0, rowHeight = 22.0, top = 40.0
        let width = labelWidth + plotWidth + 80, height = top + rowHeight * Double(groups.count) + 30
        let finite = stats.filter { $0.count > 0 }
        let lo = finite.map { $0.mean - $0.std }.min() ?? 0, hi = finite.map { $0.mean + $0.std }.max() ?? 1
        let pad = max(hi - lo, 1e-6) * 0.1
        let low = lo - pad, high = hi + pad
        func px(_ v: Double) -> Double { labelWidth + (v - low) / (high - low) * plotWidth }
        func n(_ v: Double) -> String { String(format: "%.1f", v) }
        var svg = #"<?xml version="1.0" encoding="UTF-8"?>"# + "\n"
        svg += #"<svg xmlns="http://www.w3.org/2000/svg" width="\#(n(width))" height="\#(n(height))" font-family="Helvetica, Arial, sans-serif" font-size="11">"# + "\n"
        svg += #"<rect width="100%" height="100%" fill="white"/>"# + "\n"
        svg += #"<text x="\#(n(width / 2))" y="20" text-anchor="middle" font-size="14">\#(SVGPlot.escape(metric.title)) per group (mean ± std over seeds)</text>"# + "\n"
        svg += #"<line x1="\#(n(px(low)))" y1="\#(n(top - 5))" x2="\#(n(px(low)))" y2="\#(n(height - 25))" stroke="dimgray"/>"# + "\n"
        for (i, s) in stats.enumerated() {
            let y = top + rowHeight * Double(i)
            let color = SVGPlot.palette[i % SVGPlot.palette.count]
            svg += #"<text x="\#(n(labelWidth - 8))" y="\#(n(y + 14))" text-anchor="end">\#(SVGPlot.escape(groups[i].name))</text>"# + "\n"
            guard s.count > 0 else { continue }
            svg += #"<line x1="\#(n(px(low)))" y1="\#(n(y + rowHeight / 2))" x2="\#(n(px(high)))" y2="\#(n(y + rowHeight / 2))" stroke="gainsboro"/>"# + "\n"
            if s.std > 0 {
                svg += #"<line x1="\#(n(px(s.mean - s.std)))" y1="\#(n(y + rowHeight / 2))" x2="\#(n(px(s.mean + s.std)))" y2="\#(n(y + rowHeight / 2))" stroke="black"/>"# + "\n"
            }
            svg += #"<circle cx="\#(n(px(s.mean)))" cy="\#(n(y + rowHeight / 2))" r="4.5" fill="\#(color)"/>"# + "\n"
            svg += #"<text x="\#(n(px(s.mean + s.std) + 8))" y="\#(n(y + 14))">\#(fmt(s.mean))</text>"# + "\n"
        }
        svg += #"<text x="\#(n(px(low)))" y="\#(n(height - 10))">\#(fmt(low))</text>"# + "\n"
        svg += #"<text x="\#(n(px(high)))" y="\#(n(height - 10))" text-anchor="end">\#(fmt(high))</text>"# + "\n"
        return svg + "</svg>\n"
    }



}
