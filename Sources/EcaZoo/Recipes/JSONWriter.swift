/// Serialises ``JSONValue`` deterministically: the same value always gives the
/// same bytes, so written recipes and metrics can be diffed and hashed.
///
/// ```swift
/// let value: JSONValue = ["epoch": 3, "loss": 0.25, "sizes": [64, 64]]
/// JSONWriter.compact(value)   // {"epoch":3,"loss":0.25,"sizes":[64,64]}
/// JSONWriter.pretty(value)
/// // {
/// //   "epoch": 3,
/// //   "loss": 0.25,
/// //   "sizes": [64, 64]
/// // }
/// ```
///
/// Numbers follow ``JSONValue/format(_:)``: whole numbers without ".0",
/// others in the shortest form that reads back exactly, NaN and infinities as
/// `null` (JSON cannot spell them).
public enum JSONWriter {
    /// Arrays of scalars at most this wide stay on one line in pretty output,
    /// which keeps layer sizes and small vectors readable.
    static let inlineArrayWidth = 80

    /// Multi-line JSON with two-space indentation and keys in stored order.
    /// The result has no trailing newline; add one when writing a file.
    public static func pretty(_ value: JSONValue) -> String {
        var output = ""
        writePretty(value, indent: "", into: &output)
        return output
    }

    /// JSON on a single line with no spaces, as used for one line of a
    /// `.jsonl` file. The result has no trailing newline.
    public static func compact(_ value: JSONValue) -> String {
        var output = ""
        writeCompact(value, into: &output)
        return output
    }

    /// `text` as a JSON string literal, with quotes, backslashes and control
    /// characters escaped. Other characters are written as UTF-8.
    public static func quote(_ text: String) -> String {
        var output = ""
        writeString(text, into: &output)
        return output
    }

    // MARK: - Implementation

    private static func writeCompact(_ value: JSONValue, into output: inout String) {
        switch value {
        case .array(let elements):
            output += "["
            for (index, element) in elements.enumerated() {
                if index > 0 { output += "," }
                writeCompact(element, into: &output)
            }
            output += "]"
        case .object(let object):
            output += "{"
            for (index, member) in object.enumerated() {
                if index > 0 { output += "," }
                writeString(member.key, into: &output)
                output += ":"
                writeCompact(member.value, into: &output)
            }
            output += "}"
        default:
            writeScalar(value, into: &output)
        }
    }

    private static func writePretty(_ value: JSONValue, indent: String, into output: inout String) {
        let inner = indent + "  "
        switch value {
        case .array(let elements) where elements.isEmpty:
            output += "[]"
        case .array(let elements):
            if let line = inlineArray(elements, width: inlineArrayWidth - indent.count) {
                output += line
                return
            }
            output += "[\n"
            for (index, element) in elements.enumerated() {
                output += inner
                writePretty(element, indent: inner, into: &output)
                output += index < elements.count - 1 ? ",\n" : "\n"
            }
            output += indent + "]"
        case .object(let object) where object.isEmpty:
            output += "{}"
        case .object(let object):
            output += "{\n"
            for (index, member) in object.enumerated() {
                output += inner
                writeString(member.key, into: &output)
                output += ": "
                writePretty(member.value, indent: inner, into: &output)
                output += index < object.count - 1 ? ",\n" : "\n"
            }
            output += indent + "}"
        default:
            writeScalar(value, into: &output)
        }
    }

    /// `[a, b, c]` if every element is a scalar and the line fits, else `nil`.
    private static func inlineArray(_ elements: [JSONValue], width: Int) -> String? {
        var line = "["
        for (index, element) in elements.enumerated() {
            switch element {
            case .array, .object: return nil
            default: break
            }
            if index > 0 { line += ", " }
            writeScalar(element, into: &line)
            if line.count >= width { return nil }
        }
        return line + "]"
    }

    private static func writeScalar(_ value: JSONValue, into output: inout String) {
        switch value {
        case .null: output += "null"
        case .bool(let flag): output += flag ? "true" : "false"
        case .number(let number): output += JSONValue.format(number)
        case .string(let text): writeString(text, into: &output)
        case .array, .object: preconditionFailure("JSONWriter.writeScalar called with a container")
        }
    }

    private static func writeString(_ text: String, into output: inout String) {
        output += "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            case "\u{08}": output += "\\b"
            case "\u{0C}": output += "\\f"
            case let control where control.value < 0x20:
                let hex = String(control.value, radix: 16, uppercase: true)
                output += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default:
                output.unicodeScalars.append(scalar)
            }
        }
        output += "\""
    }
}
