using System;
using System.Threading;

namespace SysdigTracers.Internal;

/// <summary>
/// Fresh span ids: a counter that starts at a random point of [2^32, 2^62) so that processes on the same machine
/// (sysdig pairs spans machine-wide) do not collide, and that stays positive for the life of any process.
/// </summary>
internal static class SpanIds
{
    private static long s_last = RandomStart();

    internal static long Next()
    {
        long id = Interlocked.Increment(ref s_last);
        if (id <= 0)
        {
            // Unreachable in practice (2^62 ids); keeps the guarantee anyway.
            Interlocked.CompareExchange(ref s_last, 1L << 32, id);
            return Interlocked.Increment(ref s_last);
        }

        return id;
    }

    private static long RandomStart()
    {
        byte[] bytes = Guid.NewGuid().ToByteArray();
        long random = BitConverter.ToInt64(bytes, 0) & ((1L << 62) - 1);
        return random < (1L << 32) ? random + (1L << 32) : random;
    }
}
