// Source: https://github.com/opencontainers/image-spec/blob/main/specs-go/v1/config.go
// plus Docker's extensions (Healthcheck, Shell) from moby's api/types/container/config.go.

/// An image configuration: platform, how to run the image, and its layers' diff IDs.
public struct ImageConfig: Sendable, Hashable, Codable {
    public var architecture: String
    public var os: String
    public var variant: String?
    public var config: RuntimeConfig?
    public var rootfs: RootFS?
    public var history: [History]?

    public init(
        architecture: String, os: String, variant: String? = nil, config: RuntimeConfig? = nil,
        rootfs: RootFS? = nil
    ) {
        self.architecture = architecture
        self.os = os
        self.variant = variant
        self.config = config
        self.rootfs = rootfs
    }

    /// The platform this config declares.
    public var platform: Platform { Platform(os: os, architecture: architecture, variant: variant) }

    /// The layers' uncompressed digests, bottom first.
    public struct RootFS: Sendable, Hashable, Codable {
        public var type: String
        public var diffIDs: [Digest]

        enum CodingKeys: String, CodingKey {
            case type
            case diffIDs = "diff_ids"
        }

        public init(diffIDs: [Digest]) {
            type = "layers"
            self.diffIDs = diffIDs
        }
    }

    /// One build step; `emptyLayer` steps made no layer.
    public struct History: Sendable, Hashable, Codable {
        public var createdBy: String?
        public var emptyLayer: Bool?

        enum CodingKeys: String, CodingKey {
            case createdBy = "created_by"
            case emptyLayer = "empty_layer"
        }
    }
}

/// How a container of the image is started (the `config` object of an image config).
public struct RuntimeConfig: Sendable, Hashable, Codable {
    public var user: String?
    public var env: [String]?
    public var entrypoint: [String]?
    public var cmd: [String]?
    public var workingDir: String?
    public var labels: [String: String]?
    public var stopSignal: String?
    /// Docker's HEALTHCHECK; absent from the OCI spec, present in Docker-built configs.
    public var healthcheck: Healthcheck?
    /// Docker's SHELL instruction: the shell used for shell-form instructions at build time.
    public var shell: [String]?

    enum CodingKeys: String, CodingKey {
        case user = "User"
        case env = "Env"
        case entrypoint = "Entrypoint"
        case cmd = "Cmd"
        case workingDir = "WorkingDir"
        case labels = "Labels"
        case stopSignal = "StopSignal"
        case healthcheck = "Healthcheck"
        case shell = "Shell"
    }

    public init(
        user: String? = nil, env: [String]? = nil, entrypoint: [String]? = nil, cmd: [String]? = nil,
        workingDir: String? = nil, healthcheck: Healthcheck? = nil
    ) {
        self.user = user
        self.env = env
        self.entrypoint = entrypoint
        self.cmd = cmd
        self.workingDir = workingDir
        self.healthcheck = healthcheck
    }
}

/// Docker's HEALTHCHECK: `Test` is `["NONE"]`, `["CMD", argv…]` or `["CMD-SHELL", command]`.
public struct Healthcheck: Sendable, Hashable, Codable {
    public var test: [String]?
    /// Nanoseconds, as Docker stores them.
    public var interval: Int64?
    public var timeout: Int64?
    public var startPeriod: Int64?
    public var retries: Int?

    enum CodingKeys: String, CodingKey {
        case test = "Test"
        case interval = "Interval"
        case timeout = "Timeout"
        case startPeriod = "StartPeriod"
        case retries = "Retries"
    }

    public init(test: [String]?) {
        self.test = test
    }
}
