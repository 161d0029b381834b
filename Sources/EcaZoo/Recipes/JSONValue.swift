/// A parsed JSON document: the only shape in which configuration exists before
/// ``ConfigReader`` turns it into typed values.
///
/// Numbers are always `Double`. The parser refuses integers beyond ±2^53 so
/// that every integer a recipe can hold is represented exactly.
///
/// ```swift
/// let value: JSONValue = ["type": "softmax", "sizes": [64, 64], "dropout": nil]
/// value["sizes"]?[1]?.doubleValue   // 64
/// ```
public enum JSONValue: Equatable, Sendable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)
}

// MARK: - Accessors

extension JSONValue {
    /// The number, or `nil` for any other kind of value.
    public var doubleValue: Double? {
        if case .number(let number) = self { return number }
        return nil
    }

    /// The number if it is a whole number that fits in `Int`, else `nil`.
    public var intValue: Int? {
        guard case .number(let number) = self else { return nil }
        return Int(exactly: number)
    }

    /// The Boolean, or `nil` for any other kind of value.
    public var boolValue: Bool? {
        if case .bool(let flag) = self { return flag }
        return nil
    }

    /// The string, or `nil` for any other kind of value.
    public var stringValue: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    /// The elements, or `nil` for any other kind of value.
    public var arrayValue: [JSONValue]? {
        if case .array(let elements) = self { return elements }
        return nil
    }

    /// The object, or `nil` for any other kind of value.
    public var objectValue: JSONObject? {
        if case .object(let object) = self { return object }
        return nil
    }

    /// Whether this is `null`.
    public var isNull: Bool { self == .null }

    /// The JSON name of this value's kind, for messages such as
    /// "expected a number, got string": `"null"`, `"boolean"`, `"number"`,
    /// `"string"`, `"array"` or `"object"`.
    public var typeName: String {
        switch self {
        case .null: return "null"
        case .bool: return "boolean"
        case .number: return "number"
        case .string: return "string"
        case .array: return "array"
        case .object: return "object"
        }
    }

    /// The kind of value followed by a short rendering, for error messages:
    /// `null`, `true`, `number 1.5`, `string "abc"`, `array`, `object`.
    /// Containers are not rendered because they can be arbitrarily large.
    public var briefDescription: String {
        switch self {
        case .null: return "null"
        case .bool(let flag): return flag ? "true" : "false"
        case .number(let number): return "number \(JSONValue.format(number))"
        case .string(let text):
            // Long strings would drown the message; the start identifies it.
            let shown = text.count > 40 ? String(text.prefix(40)) + "..." : text
            return "string \(JSONWriter.quote(shown))"
        case .array(let elements): return elements.isEmpty ? "empty array" : "array"
        case .object(let object): return object.isEmpty ? "empty object" : "object"
        }
    }

    /// The member named `key` if this is an object, else `nil`.
    public subscript(key: String) -> JSONValue? {
        objectValue?[key]
    }

    /// The element at `index` if this is an array and the index is in range,
    /// else `nil`.
    public subscript(index: Int) -> JSONValue? {
        guard case .array(let elements) = self, elements.indices.contains(index) else { return nil }
        return elements[index]
    }

    /// Formats a number the way the writer does: whole numbers without ".0",
    /// others with the fewest digits that read back to the same `Double`.
    /// Non-finite values have no JSON spelling and come out as `null`.
    public static func format(_ number: Double) -> String {
        guard number.isFinite else { return "null" }
        // Below 2^53 every whole Double is an exact Int64, so this is lossless.
        if number == number.rounded(), abs(number) <= 9_007_199_254_740_992 {
            return String(Int64(number))
        }
        // Swift's description is the shortest string that round-trips, and its
        // exponent form ("1e-05", "1e+20") is valid JSON.
        return "\(number)"
    }
}

// MARK: - Merging

extension JSONValue {
    /// Returns this value with `patch` laid over it: where both are objects
    /// the members are merged recursively (new keys appended in the patch's
    /// order), anywhere else the patch replaces the value. This is how a
    /// recipe's overrides apply to a model preset.
    public func merged(with patch: JSONValue) -> JSONValue {
        guard case .object(var base) = self, case .object(let overlay) = patch else { return patch }
        for (key, value) in overlay {
            base[key] = base[key].map { $0.merged(with: value) } ?? value
        }
        return .object(base)
    }
}

// MARK: - Literals

extension JSONValue: ExpressibleByNilLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral, ExpressibleByStringLiteral,
    ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral
{
    public init(nilLiteral: ()) { self = .null }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(integerLiteral value: Int) { self = .number(Double(value)) }
    public init(floatLiteral value: Double) { self = .number(value) }
    public init(stringLiteral value: String) { self = .string(value) }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(JSONObject(pairs: elements))
    }
}

extension JSONValue: CustomStringConvertible {
    /// The value as compact JSON.
    public var description: String { JSONWriter.compact(self) }
}
