using System.Buffers.Binary;

namespace Lobby.Api.Data;

/// <summary>
/// UUIDv7 ids that also grow within one millisecond in this process. Guid.CreateVersion7 fills
/// the sub-millisecond bits randomly, so two rows made in the same millisecond could sort in
/// either order; lists that page newest-first by id need creation order.
/// </summary>
internal static class Ids
{
    private static readonly Lock Gate = new();
    private static UInt128 _last;

    public static Guid NewId()
    {
        Span<byte> bytes = stackalloc byte[16];
        Guid.CreateVersion7().TryWriteBytes(bytes, bigEndian: true, out _);
        var value = BinaryPrimitives.ReadUInt128BigEndian(bytes);
        lock (Gate)
        {
            // Bump the random tail of the previous id: same millisecond prefix, version and
            // variant bits untouched unless 2^62 ids are made in one millisecond.
            if (value <= _last)
            {
                value = _last + 1;
            }

            _last = value;
        }

        BinaryPrimitives.WriteUInt128BigEndian(bytes, value);
        return new Guid(bytes, bigEndian: true);
    }
}
