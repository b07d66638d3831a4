
namespace SysdigTracers.Internal;

/// <summary>Where every finished tracer goes: /dev/null, then the recording and the echo when they are on, and the open test recordings.</summary>
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

        TracerRecording.Notify(tracer, length);
    }
}
