import Foundation

/// Writes bytes to a fresh temporary file, runs `body` with its path, removes it.
public func withTemporaryFile<T>(_ bytes: [UInt8], name: String = "image.tar", _ body: (String) throws -> T) throws -> T
{
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("imageaudit-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let path = directory.appendingPathComponent(name).path
    try Data(bytes).write(to: URL(fileURLWithPath: path))
    return try body(path)
}
