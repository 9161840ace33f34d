import Foundation
import ImageAuditTestSupport

// Writes one hostile input of issue 16 to standard output, for scripts/bench-hostile.sh.
// Endless cases run until the reader closes the pipe. docs/security.md lists the cases.

let usage = """
    usage: hostile-images CASE [N]
      repeated-layer N   one 20,000-entry layer listed N times in the manifest
      needed N           an ELF entrypoint with N missing DT_NEEDED libraries
      deep N             N nested directories a/a/a/…
      empty-files N      one layer of N empty files
      outer-entries [N]  outer tar headers, N of them or without end
      endless-layer [N]  a layer entry that claims 8 GiB, N headers or without end
      injection          control characters in the tag, User, Entrypoint, Env and a file name
    """

func write(_ bytes: [UInt8]) throws {
    try FileHandle.standardOutput.write(contentsOf: Data(bytes))
}

signal(SIGPIPE, SIG_DFL)
let arguments = CommandLine.arguments.dropFirst()
let number = arguments.dropFirst().first.flatMap { Int($0) }
do {
    switch arguments.first {
    case "repeated-layer": try write(try HostileCosts.repeatedLayer(entries: 20_000, times: number ?? 1000))
    case "needed": try write(try HostileCosts.manyNeeded(count: number ?? 100_000))
    case "deep": try write(try HostileCosts.deepDirectories(depth: number ?? 20_000))
    case "empty-files": try HostileCosts.manyEmptyFiles(count: number ?? 2_000_000, sink: write)
    case "outer-entries": try HostileCosts.endlessOuter(count: number, sink: write)
    case "endless-layer": try HostileCosts.endlessLayer(count: number, sink: write)
    case "injection": try write(try HostileImages.terminalInjection())
    default:
        FileHandle.standardError.write(Data((usage + "\n").utf8))
        exit(64)
    }
} catch {
    FileHandle.standardError.write(Data("hostile-images: \(error)\n".utf8))
    exit(1)
}
