import Foundation

/// Line charts as standalone SVG: a grid of panels, each with its own axes,
/// legend and vertical markers.
///
/// ```swift
/// let loss = SVGPlot.Panel(
///     title: "Loss", xLabel: "epoch", yLabel: "MSE",
///     series: [SVGPlot.Series(name: "train", x: epochs, y: train),
///              SVGPlot.Series(name: "validation", x: epochs, y: validation, dashed: true)],
///     markers: [SVGPlot.Marker(x: 7, label: "plateau (epoch 7)")],
///     logY: true)
/// let svg = SVGPlot.render(panels: [loss, gamma], title: "homog / eca")
/// ```
///
/// Points whose x or y is NaN or infinite (or, on a log axis, not positive)
/// are skipped and break the line there. A series gets the same colour in
/// every panel, so "train" reads the same across a figure.
public enum SVGPlot {
    /// One line on a panel.
    public struct Series: Sendable {
        /// Shown in the legend.
        public var name: String
        /// Horizontal positions, one per point.
        public var x: [Double]
        /// Vertical positions, one per point.
        public var y: [Double]
        /// Draw with dashes, as for a validation curve next to a training curve.
        public var dashed: Bool
        /// Any SVG colour (`"#0072B2"`, `"teal"`); `nil` takes the next palette colour.
        public var color: String?

        /// Creates a series.
        ///
        /// - Precondition: `x` and `y` have the same length.
        public init(name: String, x: [Double], y: [Double], dashed: Bool = false, color: String? = nil) {
            precondition(x.count == y.count,
                         "SVGPlot.Series \"\(name)\": x has \(x.count) values but y has \(y.count)")
            self.name = name
            self.x = x
            self.y = y
            self.dashed = dashed
            self.color = color
        }

        /// Creates a series plotted against 1, 2, 3, ... (epochs, say).
        public init(name: String, y: [Double], dashed: Bool = false, color: String? = nil) {
            self.init(name: name, x: y.indices.map { Double($0 + 1) }, y: y, dashed: dashed, color: color)
        }
    }

    /// A vertical dashed line across a panel with a label at its top,
    /// such as "plateau (epoch 7)".
    public struct Marker: Sendable {
        /// Horizontal position in data units.
        public var x: Double
        /// Text shown beside the top of the line.
        public var label: String
        /// Any SVG colour; `nil` is dark grey.
        public var color: String?

        /// Creates a marker.
        public init(x: Double, label: String, color: String? = nil) {
            self.x = x
            self.label = label
            self.color = color
        }
    }

    /// One chart: axes, series and markers.
    public struct Panel: Sendable {
        /// Shown above the chart.
        public var title: String
        /// Shown under the horizontal axis.
        public var xLabel: String
        /// Shown beside the vertical axis.
        public var yLabel: String
        /// The lines, drawn in order.
        public var series: [Series]
        /// Vertical reference lines.
        public var markers: [Marker]
        /// Use a base-10 logarithmic vertical axis.
        public var logY: Bool

        /// Creates a panel.
        public init(title: String, xLabel: String = "", yLabel: String = "", series: [Series],
                    markers: [Marker] = [], logY: Bool = false) {
            self.title = title
            self.xLabel = xLabel
            self.yLabel = yLabel
            self.series = series
            self.markers = markers
            self.logY = logY
        }
    }

    /// Okabe–Ito colours, which stay distinct under the common forms of colour
    /// blindness; ordered for a white background (yellow, the faintest, last).
    public static let palette = [
        "#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442",
    ]

    /// Renders panels into one SVG document.
    ///
    /// - Parameters:
    ///   - panels: The charts, laid out left to right, then top to bottom.
    ///   - columns: Panels per row.
    ///   - title: A heading over the whole figure.
    ///   - panelWidth: Width of each panel in pixels.
    ///   - panelHeight: Height of each panel in pixels, not counting its legend.
    /// - Returns: A complete SVG file, starting with an XML declaration.
    public static func render(panels: [Panel], columns: Int = 2, title: String? = nil,
                              panelWidth: Int = 420, panelHeight: Int = 300) -> String {
        let panels = panels.isEmpty ? [Panel(title: "", series: [])] : panels
        let width = Double(Swift.max(panelWidth, 160)), height = Double(Swift.max(panelHeight, 120))
        let columnCount = Swift.max(1, Swift.min(columns, panels.count))
        let rowCount = (panels.count + columnCount - 1) / columnCount
        let titleHeight: Double = title == nil ? 0 : 34

        var colors: [String: String] = [:]
        for series in panels.flatMap(\.series) where colors[series.name] == nil {
            colors[series.name] = palette[colors.count % palette.count]
        }
        let legends = panels.map { Legend(series: $0.series, width: width) }
        let legendHeight = legends.map(\.height).max() ?? 0
        let cellHeight = height + legendHeight

        let totalWidth = Double(columnCount) * width
        let totalHeight = titleHeight + Double(rowCount) * cellHeight + 4
        var svg = SVGWriter()
        svg.line("<?xml version=\"1.0\" encoding=\"UTF-8\"?>")
        let (widthText, heightText) = (svg.number(totalWidth), svg.number(totalHeight))
        svg.line("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(widthText)\" height=\"\(heightText)\" "
            + "viewBox=\"0 0 \(widthText) \(heightText)\" "
            + "font-family=\"Helvetica, Arial, sans-serif\" font-size=\"11\">")
        svg.line("<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>")
        if let title {
            svg.text(title, x: totalWidth / 2, y: 23,
                     attributes: "text-anchor=\"middle\" font-size=\"16\" font-weight=\"600\"")
        }
        for (index, panel) in panels.enumerated() {
            let originX = Double(index % columnCount) * width
            let originY = titleHeight + Double(index / columnCount) * cellHeight
            drawPanel(panel, legend: legends[index], colors: colors, into: &svg,
                      frame: (originX, originY, width, height))
        }
        svg.line("</svg>")
        return svg.output
    }

    // MARK: - Drawing

    /// Estimated width of one 11 px character. SVG cannot measure text, so this
    /// errs wide: DejaVu Sans, a common fallback for Helvetica, runs about 7 px.
    private static let characterWidth: Double = 7

    private static let axisColor = "#444444", gridColor = "#e6e6e6", mutedColor = "#777777"

    private static func drawPanel(_ panel: Panel, legend: Legend, colors: [String: String], into svg: inout SVGWriter,
                                  frame: (x: Double, y: Double, width: Double, height: Double)) {
        svg.line("<g>")
        defer { svg.line("</g>") }
        svg.text(panel.title, x: frame.x + frame.width / 2, y: frame.y + 19,
                 attributes: "text-anchor=\"middle\" font-size=\"13\" font-weight=\"600\"")

        // The data bounds decide the ticks, and the tick labels decide the left margin.
        var xs: [Double] = [], ys: [Double] = []
        for series in panel.series {
            for (x, y) in zip(series.x, series.y) where usable(x, y, logY: panel.logY) {
                xs.append(x)
                ys.append(y)
            }
        }
        let top = frame.y + 30, bottom = frame.y + frame.height - 44
        guard let xMin = xs.min(), let xMax = xs.max(), let yMin = ys.min(), let yMax = ys.max() else {
            let left = frame.x + 50, right = frame.x + frame.width - 14
            svg.line("<rect x=\"\(svg.number(left))\" y=\"\(svg.number(top))\" width=\"\(svg.number(right - left))\" "
                + "height=\"\(svg.number(bottom - top))\" fill=\"none\" stroke=\"\(gridColor)\"/>")
            svg.text("no data", x: (left + right) / 2, y: (top + bottom) / 2,
                     attributes: "text-anchor=\"middle\" fill=\"\(mutedColor)\" font-size=\"13\"")
            legend.draw(into: &svg, colors: colors, x: frame.x, y: frame.y + frame.height)
            return
        }
        let markerXs = panel.markers.map(\.x).filter(\.isFinite)
        let xTicks = AxisTicks.linear(from: Swift.min(xMin, markerXs.min() ?? xMin),
                                      to: Swift.max(xMax, markerXs.max() ?? xMax))
        let yTicks = panel.logY ? AxisTicks.logarithmic(from: yMin, to: yMax) : AxisTicks.linear(from: yMin, to: yMax)
        let widestLabel = yTicks.labels.map(\.count).max() ?? 1
        let left = frame.x + Swift.max(46, 32 + characterWidth * Double(widestLabel))
        let right = frame.x + frame.width - 14

        let yLow = panel.logY ? log10(yTicks.lower) : yTicks.lower
        let yHigh = panel.logY ? log10(yTicks.upper) : yTicks.upper
        func px(_ x: Double) -> Double {
            left + (x - xTicks.lower) / (xTicks.upper - xTicks.lower) * (right - left)
        }
        func py(_ y: Double) -> Double {
            bottom - ((panel.logY ? log10(y) : y) - yLow) / (yHigh - yLow) * (bottom - top)
        }

        // Grid and tick labels.
        for (value, label) in zip(xTicks.values, xTicks.labels) {
            let x = px(value)
            svg.line("<line x1=\"\(svg.number(x))\" y1=\"\(svg.number(top))\" x2=\"\(svg.number(x))\" "
                + "y2=\"\(svg.number(bottom))\" stroke=\"\(gridColor)\"/>")
            svg.text(label, x: x, y: bottom + 15, attributes: "text-anchor=\"middle\" fill=\"\(axisColor)\"")
        }
        for (value, label) in zip(yTicks.values, yTicks.labels) {
            let y = py(value)
            svg.line("<line x1=\"\(svg.number(left))\" y1=\"\(svg.number(y))\" x2=\"\(svg.number(right))\" "
                + "y2=\"\(svg.number(y))\" stroke=\"\(gridColor)\"/>")
            svg.text(label, x: left - 6, y: y + 3.5, attributes: "text-anchor=\"end\" fill=\"\(axisColor)\"")
        }
        svg.line("<rect x=\"\(svg.number(left))\" y=\"\(svg.number(top))\" width=\"\(svg.number(right - left))\" "
            + "height=\"\(svg.number(bottom - top))\" fill=\"none\" stroke=\"\(axisColor)\"/>")
        svg.text(panel.xLabel, x: (left + right) / 2, y: bottom + 33,
                 attributes: "text-anchor=\"middle\" fill=\"\(axisColor)\"")
        let yLabelX = frame.x + 14, yLabelY = (top + bottom) / 2
        svg.text(panel.yLabel, x: yLabelX, y: yLabelY,
                 attributes: "text-anchor=\"middle\" fill=\"\(axisColor)\" "
                     + "transform=\"rotate(-90 \(svg.number(yLabelX)) \(svg.number(yLabelY)))\"")

        // Series: each run of usable points is one subpath; a lone point is a dot
        // because a one-point path draws nothing.
        for series in panel.series {
            let color = SVGWriter.escape(series.color ?? colors[series.name] ?? palette[0])
            var path = "", run: [(Double, Double)] = [], dots: [(Double, Double)] = []
            func flush() {
                if run.count == 1 { dots.append(run[0]) }
                if run.count > 1 {
                    path += "M" + run.map { "\(svg.number($0.0)) \(svg.number($0.1))" }.joined(separator: "L")
                }
                run.removeAll(keepingCapacity: true)
            }
            for (x, y) in zip(series.x, series.y) {
                if usable(x, y, logY: panel.logY) { run.append((px(x), py(y))) } else { flush() }
            }
            flush()
            if !path.isEmpty {
                let dash = series.dashed ? " stroke-dasharray=\"6 4\"" : ""
                svg.line("<path d=\"\(path)\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"1.8\" "
                    + "stroke-linejoin=\"round\" stroke-linecap=\"round\"\(dash)/>")
            }
            for dot in dots {
                svg.line("<circle cx=\"\(svg.number(dot.0))\" cy=\"\(svg.number(dot.1))\" r=\"2.5\" "
                    + "fill=\"\(color)\"/>")
            }
        }

        // Markers: labels stack downwards so markers at nearby epochs stay legible,
        // and flip to the left of the line in the right part of the panel.
        for (index, marker) in panel.markers.enumerated() where marker.x.isFinite {
            let x = px(marker.x)
            let color = SVGWriter.escape(marker.color ?? "#555555")
            svg.line("<line x1=\"\(svg.number(x))\" y1=\"\(svg.number(top))\" x2=\"\(svg.number(x))\" "
                + "y2=\"\(svg.number(bottom))\" stroke=\"\(color)\" stroke-width=\"1.2\" stroke-dasharray=\"4 3\"/>")
            let flip = x > left + 0.65 * (right - left)
            svg.text(marker.label, x: flip ? x - 4 : x + 4, y: top + 12 + 12 * Double(index % 8),
                     attributes: "text-anchor=\"\(flip ? "end" : "start")\" fill=\"\(color)\" font-size=\"10\" "
                         + "stroke=\"#ffffff\" stroke-width=\"3\" paint-order=\"stroke\"")
        }
        legend.draw(into: &svg, colors: colors, x: frame.x, y: frame.y + frame.height)
    }

    private static func usable(_ x: Double, _ y: Double, logY: Bool) -> Bool {
        x.isFinite && y.isFinite && (!logY || y > 0)
    }

    /// The legend under a panel: one swatch and name per series, wrapped into rows.
    private struct Legend {
        static let rowHeight: Double = 16

        var items: [(series: Series, x: Double, row: Int)] = []
        var height: Double = 0

        init(series: [Series], width: Double) {
            var x: Double = 16, row = 0
            for item in series {
                let itemWidth = 30 + characterWidth * Double(item.name.count) + 14
                if x + itemWidth > width - 8, x > 16 {
                    x = 16
                    row += 1
                }
                items.append((item, x, row))
                x += itemWidth
            }
            height = series.isEmpty ? 0 : Double(row + 1) * Self.rowHeight + 4
        }

        func draw(into svg: inout SVGWriter, colors: [String: String], x: Double, y: Double) {
            for item in items {
                let color = SVGWriter.escape(item.series.color ?? colors[item.series.name] ?? SVGPlot.palette[0])
                let baseline = y + Double(item.row) * Self.rowHeight + 10
                let dash = item.series.dashed ? " stroke-dasharray=\"6 4\"" : ""
                svg.line("<line x1=\"\(svg.number(x + item.x))\" y1=\"\(svg.number(baseline - 4))\" "
                    + "x2=\"\(svg.number(x + item.x + 24))\" y2=\"\(svg.number(baseline - 4))\" "
                    + "stroke=\"\(color)\" stroke-width=\"2\"\(dash)/>")
                svg.text(item.series.name, x: x + item.x + 30, y: baseline, attributes: "fill=\"#222222\"")
            }
        }
    }
}

/// Accumulates SVG markup with escaped text and short coordinates.
private struct SVGWriter {
    var output = ""

    mutating func line(_ markup: String) {
        output += markup
        output += "\n"
    }

    mutating func text(_ content: String, x: Double, y: Double, attributes: String) {
        guard !content.isEmpty else { return }
        line("<text x=\"\(number(x))\" y=\"\(number(y))\" \(attributes)>\(Self.escape(content))</text>")
    }

    /// A coordinate to a tenth of a pixel, without a trailing ".0".
    func number(_ value: Double) -> String {
        let rounded = (value * 10).rounded() / 10
        if rounded == rounded.rounded(), abs(rounded) < 1e15 { return String(Int(rounded)) }
        return String(rounded)
    }

    /// `text` made safe for XML content and attribute values. Control
    /// characters are not allowed in XML 1.0 at all, so they become spaces.
    static func escape(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&apos;"
            case _ where scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF:
                result += " "
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}

extension SVGPlot {
    /// `text` made safe for SVG text and attribute values (the escaping every figure uses).
    static func escape(_ text: String) -> String { SVGWriter.escape(text) }
}
