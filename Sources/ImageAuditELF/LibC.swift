/// The C library family whose dynamic loader runs a program.
public enum LibC: String, Sendable, Hashable, Codable {
    case glibc
    case musl
}
