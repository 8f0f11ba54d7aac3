namespace Lobby.Api.Services;

// The small family of failures services report. Services never pick HTTP status codes:
// Http/Errors/ProblemExceptionHandler maps each kind to one, in one place.

internal abstract class ServiceException(string message) : Exception(message);

/// <summary>Input broke a rule; <see cref="Errors"/> maps each field (camelCase) to what is wrong.</summary>
internal sealed class ValidationFailedException(IReadOnlyDictionary<string, string[]> errors)
    : ServiceException("One or more fields are invalid.")
{
    public IReadOnlyDictionary<string, string[]> Errors { get; } = errors;

    public static ValidationFailedException For(string field, string message) => new(new Dictionary<string, string[]> { [field] = [message] });
}

internal sealed class NotFoundException(string message) : ServiceException(message);

internal sealed class ConflictException(string message) : ServiceException(message);

/// <summary>Credentials or a token were not accepted.</summary>
internal sealed class UnauthorizedException(string message) : ServiceException(message);

internal sealed class ForbiddenException(string message) : ServiceException(message);

internal sealed class RateLimitedException(string message, TimeSpan retryAfter) : ServiceException(message)
{
    public TimeSpan RetryAfter { get; } = retryAfter;
}

/// <summary>Lobby is protecting itself from overload; the caller should retry shortly.</summary>
internal sealed class ServiceBusyException(string message) : ServiceException(message);

/// <summary>The operator turned off what the call needs (mail, for the account-recovery flows).</summary>
internal sealed class FeatureUnavailableException(string message) : ServiceException(message);
