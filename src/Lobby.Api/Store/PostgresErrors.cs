using Npgsql;

namespace Lobby.Api.Store;

/// <summary>PostgreSQL error codes Lobby reacts to, in one place.</summary>
internal static class PostgresErrors
{
    public const string UniqueViolation = "23505";
    public const string ForeignKeyViolation = "23503";
    public const string SerializationFailure = "40001";
    public const string DeadlockDetected = "40P01";

    public static bool IsRetryable(PostgresException ex) =>
        ex.SqlState is SerializationFailure or DeadlockDetected;

    public static bool IsUniqueViolation(Exception ex, string? constraint = null) =>
        ex is PostgresException { SqlState: UniqueViolation } pg
        && (constraint is null || pg.ConstraintName == constraint);
}
