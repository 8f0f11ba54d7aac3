namespace Lobby.Api.Services.Rooms;

/// <summary>
/// One async lock per room (striped: 1024 locks, so no per-room bookkeeping). A change to a room
/// holds it from before its transaction to after its event is published, and a subscriber holds
/// it while it joins and catches up. So, within a process, live events leave in the room's
/// commit order and a subscriber's catch-up and live events meet with no gap and no duplicate.
/// </summary>
internal sealed class RoomGates : IDisposable
{
    private readonly SemaphoreSlim[] _locks = [.. Enumerable.Range(0, 1024).Select(_ => new SemaphoreSlim(1, 1))];

    public async ValueTask<IAsyncDisposable> EnterAsync(Guid roomId, CancellationToken ct)
    {
        var gate = _locks[(roomId.GetHashCode() & int.MaxValue) % _locks.Length];
        await gate.WaitAsync(ct);
        return new Release(gate);
    }

    public void Dispose()
    {
        foreach (var gate in _locks)
        {
            gate.Dispose();
        }
    }

    private sealed class Release(SemaphoreSlim gate) : IAsyncDisposable
    {
        private int _released;

        public ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                gate.Release();
            }

            return ValueTask.CompletedTask;
        }
    }
}
