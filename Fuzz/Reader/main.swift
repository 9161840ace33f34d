import FuzzDriver
import ImageAuditArchive
import ImageAuditCheck
import ImageAuditCore
import ImageAuditKit

// libFuzzer target: the whole read-and-audit path (outer tar, documents, layers, merge, every
// rule) on arbitrary bytes, read as a stream like standard input (Fuzz/README.md).

let audit = TarballAudit()

func fuzzOne(_ bytes: [UInt8]) {
    guard let images = try? audit.reader.read(stream: MemoryStream(bytes), source: "fuzz") else { return }
    for image in images { _ = audit.audit(image, options: AuditOptions()) }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    fuzzOne(FuzzDriver.bytes(data, size))
    return 0
}

FuzzDriver.run(input: fuzzInput, replay: fuzzOne)
