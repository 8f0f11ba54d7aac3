namespace Lobby.Api.Store;

/// <summary>PostgreSQL could not be reached; answered as 503 so clients retry instead of reporting a bug.</summary>
internal sealed class DatabaseUnavailableException(Exception inner)
    : Exception("The database is unavailable.", inner);
