using Lobby.Api.Services;

namespace Lobby.Api.Security;

/// <summary>
/// Argon2id costs ~20 ms of CPU and 19 MiB each. Hashing on every core at once starved the
/// rest of the service during a login flood (measured: /health/live p99 from 4 ms to ~370 ms on
/// 2 cores), so hashes run on all cores but one, off the request threads; callers that cannot
/// get a slot in time get 503 instead of piling up.
/// </summary>
internal sealed class PasswordHashingGate : IDisposable
{
    private static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(5);
    private static readonly int Slots = Math.Max(1, Environment.ProcessorCount - 1);
    private readonly SemaphoreSlim _slots = new(Slots, Slots);
    private readonly PasswordHasher _hasher;
    private readonly string _dummyHash;

    public PasswordHashingGate(PasswordHasher hasher)
    {
        _hasher = hasher;
        // Verifying against this when the email is unknown makes both failures cost the same.
        _dummyHash = hasher.Hash("lobby-dummy-password-for-timing");
    }

    public Task<string> HashAsync(string password, CancellationToken ct) =>
        RunAsync(() => _hasher.Hash(password), ct);

    public Task<PasswordCheck> VerifyAsync(string password, string? phc, CancellationToken ct) =>
        RunAsync(() => phc is null
            ? Discard(_hasher.Verify(password, _dummyHash))
            : _hasher.Verify(password, phc), ct);

    public void Dispose() => _slots.Dispose();

    private static PasswordCheck Discard(PasswordCheck _) => PasswordCheck.Mismatch;

    private async Task<T> RunAsync<T>(Func<T> work, CancellationToken ct)
    {
        if (!await _slots.WaitAsync(MaxWait, ct))
        {
            throw new ServiceBusyException("Too many sign-ins are being processed; retry in a few seconds.");
        }

        try
        {
            return await Task.Run(work, ct);
        }
        finally
        {
            _slots.Release();
        }
    }
}
