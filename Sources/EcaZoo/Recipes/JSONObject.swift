/// A JSON object that remembers the order of its keys.
///
/// Order matters because written files (`recipe.resolved.json`, metrics) must
/// be byte-for-byte deterministic and read in the order a person wrote them.
/// Lookups go through a dictionary, so they stay O(1) on average.
///
/// Two objects are equal only if they hold the same members in the same
/// order, since the order is observable in every file written from them.
///
/// ```swift
/// var object = JSONObject()
/// object["type"] = "softmax"
/// object["heads"] = 4
/// object.keys          // ["type", "heads"]
/// object["type"] = nil // removes the member
/// ```
public struct JSONObject: Equatable, Sendable {
    /// The keys in insertion order.
    public private(set) var keys: [String] = []
    private var storage: [String: JSONValue] = [:]

    /// Creates an empty object.
    public init() {}

    /// Creates an object from key-value pairs, keeping their order.
    /// A repeated key keeps its first position and its last value.
    public init<S: Sequence>(pairs: S) where S.Element == (String, JSONValue) {
        for (key, value) in pairs { self[key] = value }
    }

    /// The value for `key`, or `nil` if absent. Setting a new key appends it;
    /// setting an existing key replaces its value in place; setting `nil`
    /// removes the key.
    public subscript(key: String) -> JSONValue? {
        get { storage[key] }
        set {
            if let newValue {
                if storage.updateValue(newValue, forKey: key) == nil { keys.append(key) }
            } else if storage.removeValue(forKey: key) != nil {
                keys.removeAll { $0 == key }
            }
        }
    }

    /// The number of members.
    public var count: Int { keys.count }

    /// Whether the object has no members.
    public var isEmpty: Bool { keys.isEmpty }

    /// Whether `key` is present.
    public func contains(_ key: String) -> Bool { storage[key] != nil }

    /// The values in key order.
    public var values: [JSONValue] { keys.map { storage[$0]! } }
}

extension JSONObject: Sequence {
    /// Iterates over `(key, value)` pairs in key order.
    public func makeIterator() -> AnyIterator<(key: String, value: JSONValue)> {
        var position = keys.makeIterator()
        let storage = self.storage
        return AnyIterator {
            guard let key = position.next() else { return nil }
            return (key, storage[key]!)
        }
    }
}

extension JSONObject: ExpressibleByDictionaryLiteral {
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self.init(pairs: elements)
    }
}
