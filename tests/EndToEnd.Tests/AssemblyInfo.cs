// The AppHost's local servers (PostgreSQL as another OS user, signals, file modes) are Linux's.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
