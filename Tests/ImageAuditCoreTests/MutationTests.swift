import ImageAuditArchive
import ImageAuditCore
import ImageAuditTestSupport
import Testing

/// Seeded random damage to real-shaped tarballs: every read ends in images or an
/// `ImageReadError`, never a crash or a hang.
@Suite struct MutationTests {
    @Test(
        "flipped bytes, cut tails and overwritten runs",
        arguments: [
            "docker-save", "oci-gzip",
        ])
    func mutations(layout: String) throws {
        let tar: [UInt8]
        if layout == "docker-save" {
            tar = ImageTarballs.write(ImageTarballs.dockerSave([try sampleImage()]))
        } else {
            var oci = OCILayoutFixture()
            let descriptor = oci.addImage(try sampleImage(compression: .gzip))
            tar = ImageTarballs.write(oci.entries(index: [descriptor]))
        }
        var random = SplitMix(state: 42)
        var outcomes = (read: 0, refused: 0)
        for _ in 0..<120 {
            var damaged = tar
            switch Int.random(in: 0..<3, using: &random) {
            case 0:
                for _ in 0..<Int.random(in: 1...8, using: &random) {
                    damaged[Int.random(in: 0..<damaged.count, using: &random)] ^= UInt8.random(
                        in: 1...255, using: &random)
                }
            case 1:
                damaged = Array(damaged.prefix(Int.random(in: 0..<damaged.count, using: &random)))
            default:
                let start = Int.random(in: 0..<damaged.count, using: &random)
                for index in start..<min(damaged.count, start + 600) { damaged[index] = 0xff }
            }
            for mode in [ReadMode.randomAccess, .streamed] {
                do {
                    _ = try readImages(damaged, mode: mode)
                    outcomes.read += 1
                } catch is ImageReadError {
                    outcomes.refused += 1
                }
            }
        }
        // Most damage must be caught (digests cover every blob byte); some lands in padding.
        #expect(outcomes.refused > outcomes.read)
    }
}
