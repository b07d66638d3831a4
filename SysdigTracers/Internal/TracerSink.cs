using System;

namespace SysdigTracers.Internal;

/// <summary>Where every finished tracer goes: /dev/null, then the recording, the echo and the test observer when they are set.</summary>
internal static unsafe class TracerSink
{
    /// <summary>
    /// Emits one complete tracer. <paramref name="tracer"/> must have one writable byte after
    /// <paramref name="length"/> (the echo puts its newline there). Never throws.
    /// </summary>
    internal static void Emit(byte* tracer, int length)
    {
        try
        {
            DevNull.Write(tracer, length);
            if (RecordingFile.IsOn)
            {
                RecordingFile.Write(tracer, length);
            }

            if (Echo.IsOn)
            {
                Echo.Write(tracer, length);
            }
        }
        catch
        {
            // The emitter never throws into user code.
        }

        Action<byte[]>? observer = TracerTestHook.TestObserver;
        if (observer != null)
        {
            Notify(observer, tracer, length);
        }
    }

    private static void Notify(Action<byte[]> observer, byte* tracer, int length)
    {
        try
        {
            byte[] copy = new byte[length];
            for (int i = 0; i < length; i++)
            {
                copy[i] = tracer[i];
            }

            observer(copy);
        }
        catch
        {
            // A failing observer must not change what the traced code sees.
        }
    }
}
