using System.Runtime.CompilerServices;

// The Record() benchmark drives the real AuditLog and queue without a host or a network.
[assembly: InternalsVisibleTo("AuditClient.Bench")]

// The ring under Record() is tested directly for lost, doubled and reordered items under contention.
[assembly: InternalsVisibleTo("AuditResilience.Tests")]
