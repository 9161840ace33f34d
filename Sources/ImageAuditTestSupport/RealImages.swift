import Foundation

/// The image tarballs other tools made (`shared/realimages/`, see its README), found next to
/// the package: `../shared/realimages` from the package root, or the same name beside any
/// folder above it (a worktree sits deeper than the main checkout). Never copied into the
/// repository; tests skip when it is absent, e.g. in a user's clone.
public enum RealImages {
    /// The folder, or nil when there is none.
    public static let directory: String? = {
        // Sources/ImageAuditTestSupport/RealImages.swift → the package root.
        var folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        while folder.path != "/" {
            folder = folder.deletingLastPathComponent()
            let candidate = folder.appendingPathComponent("shared/realimages").path
            if FileManager.default.fileExists(atPath: candidate + "/README.md") { return candidate }
        }
        return nil
    }()

    /// The path of one tarball, or nil when the folder or the file is absent.
    public static func path(_ name: String) -> String? {
        guard let directory else { return nil }
        let path = directory + "/" + name
        return FileManager.default.fileExists(atPath: path) ? path : nil
    }

    /// Why a real-image test is skipped.
    public static let skipMessage = "shared/realimages not found beside the package: real-image tests skipped"
}
