using System.Runtime.CompilerServices;

// The Record() benchmark drives the real AuditLog and queue without a host or a network.
[assembly: InternalsVisibleTo("AuditClient.Bench")]
