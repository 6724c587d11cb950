namespace Api.Data;

/// <summary>
/// The only way into appdb, under the scope procedure of Migrations/0005_row_level_security.sql. A request opens one
/// unit of work, with the caller's scope; background work opens one per step, with the scope of what it works on.
/// </summary>
public sealed class AppDb(NpgsqlDataSource dataSource) : TenantDb(dataSource, "app_scope");
