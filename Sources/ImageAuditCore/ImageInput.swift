import Foundation

/// An input as the command line gives it: a path (a tarball, an image layout directory, `-`),
/// or a path behind one of skopeo's transport names, `docker-archive:PATH[:NAME[:TAG]]`,
/// `oci-archive:PATH[:REF]`, `oci:DIR[:REF]`, `dir:DIR`. The reference chooses the image as
/// `--image` would. A path that exists is always a path, whatever it looks like.
public struct ImageInput: Sendable, Hashable {
    public enum Transport: String, Sendable, CaseIterable {
        case dockerArchive = "docker-archive"
        case ociArchive = "oci-archive"
        case oci
        case dir
    }

    public var transport: Transport?
    public var path: String
    /// The image named after the path (`oci:DIR:latest`).
    public var reference: String?

    public init(parsing argument: String) throws(ImageReadError) {
        transport = nil
        path = argument
        reference = nil
        guard argument != "-", !FileManager.default.fileExists(atPath: argument),
            let colon = argument.firstIndex(of: ":"),
            let transport = Transport(rawValue: String(argument[..<colon]))
        else { return }
        self.transport = transport
        let rest = String(argument[argument.index(after: colon)...])
        // skopeo splits PATH from the reference at the first colon, as here.
        if transport != .dir, let split = rest.firstIndex(of: ":") {
            path = String(rest[..<split])
            let reference = String(rest[rest.index(after: split)...])
            if reference.hasPrefix("@") {
                throw ImageReadError(
                    "\(argument): choosing an image by index (\(reference)) is not supported; give its name")
            }
            self.reference = reference.isEmpty ? nil : reference
        } else {
            path = rest
        }
        if path.isEmpty { throw ImageReadError("\(argument): no path after \(transport.rawValue):") }
    }

    /// Whether a directory holds an image layout (OCI `oci-layout`/`index.json`, or skopeo's
    /// `manifest.json` + `version`): one input, not a folder of tarballs.
    public static func isLayoutDirectory(_ path: String) -> Bool {
        DirectoryLayout.kind(of: path) != nil
    }

    /// Whether a missing path looks like an image reference (`my-api:latest`,
    /// `registry.example.com/team/api:1.2`, `nginx`) rather than a file name.
    public static func looksLikeImageReference(_ argument: String) -> Bool {
        let lowered = argument.lowercased()
        let suffixes = [".tar", ".tar.gz", ".tgz", ".tar.zst", ".tar.xz", ".tar.bz2", ".gz", ".zst", ".json", ".oci"]
        guard !argument.isEmpty, !argument.hasPrefix("/"), !argument.hasPrefix("."), !argument.contains("//"),
            !suffixes.contains(where: lowered.hasSuffix)
        else { return false }
        let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789._-/:@".unicodeScalars)
        guard argument.unicodeScalars.allSatisfy({ allowed.contains($0) }) else { return false }
        // A tag or digest, or a registry path, or a bare lowercase name without a dot.
        return argument.contains(":") || argument.contains("/") || !argument.contains(".")
    }
}
