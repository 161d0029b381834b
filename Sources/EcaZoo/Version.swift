/// The eca-zoo library version, recorded in run summaries and checked against plugins.
public enum EcaZooVersion {
    public static let string = "0.1.0"
}
