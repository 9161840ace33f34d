import ImageAuditArchive
import ImageAuditCheck
import ImageAuditCore
import ImageAuditKit

#if canImport(Glibc)
    import Glibc
#endif

// libFuzzer target: the whole read-and-audit path (outer tar, documents, layers, merge, every
// rule) on arbitrary bytes, read as a stream like standard input (Fuzz/README.md).

let audit = TarballAudit()

func fuzzOne(_ bytes: [UInt8]) {
    guard let images = try? audit.reader.read(stream: MemoryStream(bytes), source: "fuzz") else { return }
    for image in images { _ = audit.audit(image, options: AuditOptions()) }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    fuzzOne(data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? [])
    return 0
}

#if FUZZING
    @_silgen_name("LLVMFuzzerRunDriver")
    func runDriver(
        _ argc: UnsafeMutablePointer<Int32>,
        _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
        _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32
    ) -> Int32
    var argc = CommandLine.argc
    var argv = CommandLine.unsafeArgv
    exit(runDriver(&argc, &argv, fuzzInput))
#else
    for path in CommandLine.arguments.dropFirst() {
        guard let file = fopen(path, "rb") else { continue }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while case let count = fread(&buffer, 1, buffer.count, file), count > 0 { bytes += buffer.prefix(count) }
        fclose(file)
        fuzzOne(bytes)
    }
#endif
