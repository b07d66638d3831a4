using System;

namespace SysdigTracers.Internal;

/// <summary>
/// One reusable tracer buffer per thread. A caller takes it out of the slot while it builds a tracer, so that code
/// running meanwhile on the same thread (a <c>ToString</c> that is itself traced) finds the slot empty and gets a
/// buffer of its own instead of overwriting this one.
/// </summary>
internal static class ThreadBuffer
{
    [ThreadStatic]
    private static byte[]? t_buffer;

    internal static byte[] Rent()
    {
        byte[]? buffer = t_buffer;
        if (buffer == null)
        {
            return new byte[TracerWriter.BufferSize];
        }

        t_buffer = null;
        return buffer;
    }

    internal static void Return(byte[] buffer) => t_buffer = buffer;
}
