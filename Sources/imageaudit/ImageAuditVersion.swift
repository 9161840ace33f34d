/// The version `imageaudit --version` prints.
public let imageAuditVersion = "0.1.0"
