import XCTest
@testable import EcaZoo
#if canImport(FoundationXML)
import FoundationXML
#endif

final class SVGPlotTests: XCTestCase {
    private let epochs = (1...10).map(Double.init)

    private func lossPanel() -> SVGPlot.Panel {
        SVGPlot.Panel(
            title: "Loss", xLabel: "epoch", yLabel: "MSE",
            series: [SVGPlot.Series(name: "train", x: epochs, y: epochs.map { 1 / $0 }),
                     SVGPlot.Series(name: "validation", x: epochs, y: epochs.map { 1.2 / $0 }, dashed: true)],
            markers: [SVGPlot.Marker(x: 7, label: "plateau (epoch 7)")])
    }

    /// Parses `svg` as XML and returns every element, failing the test if it is malformed.
    private func elements(of svg: String, file: StaticString = #filePath, line: UInt = #line) throws -> [XMLElement] {
        let document = try XMLDocument(xmlString: svg, options: [])
        let root = try XCTUnwrap(document.rootElement(), file: file, line: line)
        XCTAssertEqual(root.name, "svg", file: file, line: line)
        var all: [XMLElement] = []
        var pending = [root]
        while let element = pending.popLast() {
            all.append(element)
            pending += (element.children ?? []).compactMap { $0 as? XMLElement }
        }
        return all
    }

    /// The attribute's value; `attribute(forName:)` misses attributes of
    /// namespaced elements in some Foundation versions, so search the list.
    private func attribute(_ name: String, of element: XMLElement) -> String? {
        element.attributes?.first { $0.name == name }?.stringValue
    }

    private func texts(_ elements: [XMLElement]) -> [String] {
        elements.filter { $0.name == "text" }.compactMap(\.stringValue)
    }

    private func paths(_ elements: [XMLElement]) -> [String] {
        elements.filter { $0.name == "path" }.compactMap { attribute("d", of: $0) }
    }

    func testOutputIsWellFormedSVGWithLegendTitlesAndMarker() throws {
        let svg = SVGPlot.render(panels: [lossPanel()], title: "homog / eca")
        XCTAssertTrue(svg.hasPrefix("<?xml"))
        let all = try elements(of: svg)
        let strings = texts(all)
        for expected in ["homog / eca", "Loss", "epoch", "MSE", "train", "validation", "plateau (epoch 7)"] {
            XCTAssertTrue(strings.contains(expected), "missing \(expected) in \(strings)")
        }
        XCTAssertEqual(paths(all).count, 2)
        XCTAssertTrue(svg.contains("stroke-dasharray=\"6 4\""), "validation should be dashed")
    }

    func testNonFiniteValuesAreSkippedAndBreakTheLine() throws {
        let y: [Double] = [1, 2, .nan, 4, 5, .infinity, 7, 8]
        let panel = SVGPlot.Panel(title: "gaps", series: [SVGPlot.Series(name: "s", y: y)])
        let svg = SVGPlot.render(panels: [panel])
        let all = try elements(of: svg)
        let d = try XCTUnwrap(paths(all).first)
        XCTAssertEqual(d.filter { $0 == "M" }.count, 3, d)
        XCTAssertFalse(svg.lowercased().contains("nan"))
        XCTAssertFalse(svg.lowercased().contains("inf"))
    }

    func testIsolatedPointIsDrawnAsADot() throws {
        let panel = SVGPlot.Panel(title: "one", series: [SVGPlot.Series(name: "s", x: [3], y: [0.5])])
        let all = try elements(of: SVGPlot.render(panels: [panel]))
        XCTAssertEqual(all.filter { $0.name == "circle" }.count, 1)
        XCTAssertTrue(paths(all).isEmpty)
    }

    func testPanelWithoutDataSaysSo() throws {
        let empty = SVGPlot.Panel(title: "γ", series: [SVGPlot.Series(name: "gamma", y: [.nan, .nan])])
        let svg = SVGPlot.render(panels: [lossPanel(), empty, SVGPlot.Panel(title: "none", series: [])])
        let strings = texts(try elements(of: svg))
        XCTAssertEqual(strings.filter { $0 == "no data" }.count, 2)
        XCTAssertTrue(strings.contains("γ"))
        XCTAssertTrue(texts(try elements(of: SVGPlot.render(panels: []))).contains("no data"))
    }

    func testConstantSeriesProducesFiniteCoordinates() throws {
        let panel = SVGPlot.Panel(title: "flat", series: [SVGPlot.Series(name: "s", y: [2, 2, 2])])
        let svg = SVGPlot.render(panels: [panel])
        _ = try elements(of: svg)
        XCTAssertFalse(svg.contains("nan"))
        XCTAssertFalse(svg.contains("inf"))
    }

    func testLogAxisSkipsNonPositiveValues() throws {
        let panel = SVGPlot.Panel(title: "log", series: [SVGPlot.Series(name: "s", y: [1, 0.1, 0, -1, 0.01, 0.001])],
                                  logY: true)
        let svg = SVGPlot.render(panels: [panel])
        let all = try elements(of: svg)
        let d = try XCTUnwrap(paths(all).first)
        XCTAssertEqual(d.filter { $0 == "M" }.count, 2, d)
        let strings = texts(all)
        XCTAssertTrue(strings.contains("0.001") && strings.contains("1"), "\(strings)")
        let onlyNonPositive = SVGPlot.Panel(title: "log", series: [SVGPlot.Series(name: "s", y: [0, -1])], logY: true)
        XCTAssertTrue(texts(try elements(of: SVGPlot.render(panels: [onlyNonPositive]))).contains("no data"))
    }

    func testAllTextIsEscaped() throws {
        let panel = SVGPlot.Panel(
            title: "a < b & \"c\"", xLabel: "x'", yLabel: "<y>",
            series: [SVGPlot.Series(name: "</text><script>", y: [1, 2], color: "\"red")],
            markers: [SVGPlot.Marker(x: 1, label: "m & n\u{1}")])
        let svg = SVGPlot.render(panels: [panel], title: "T&T")
        let strings = texts(try elements(of: svg))
        for expected in ["a < b & \"c\"", "x'", "<y>", "</text><script>", "m & n ", "T&T"] {
            XCTAssertTrue(strings.contains(expected), "missing \(expected) in \(strings)")
        }
        XCTAssertFalse(svg.contains("<script>"))
    }

    func testSeriesKeepTheirColourAcrossPanels() throws {
        let second = SVGPlot.Panel(title: "other", series: [SVGPlot.Series(name: "validation", y: [1, 2]),
                                                            SVGPlot.Series(name: "train", y: [2, 1])])
        let all = try elements(of: SVGPlot.render(panels: [lossPanel(), second]))
        let strokes = all.filter { $0.name == "path" }.compactMap { attribute("stroke", of: $0) }
        XCTAssertEqual(strokes, [SVGPlot.palette[0], SVGPlot.palette[1], SVGPlot.palette[1], SVGPlot.palette[0]])
    }

    func testGridLayoutSizesTheDocument() throws {
        let panels = Array(repeating: lossPanel(), count: 3)
        let all = try elements(of: SVGPlot.render(panels: panels, columns: 2, panelWidth: 400, panelHeight: 250))
        let root = try XCTUnwrap(all.first)
        XCTAssertEqual(attribute("width", of: root), "800")
        let height = try XCTUnwrap(Double(attribute("height", of: root) ?? ""))
        XCTAssertGreaterThan(height, 500)
    }
}
