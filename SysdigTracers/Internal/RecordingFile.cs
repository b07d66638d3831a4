using System;
using System.Text;

namespace SysdigTracers.Internal;

/// <summary>
/// The recording selected by <c>SYSDIG_TRACERS_RECORD</c>: every tracer, on a line of its own, after what sysdig would
/// have added to it (see docs/recording.md):
/// <code>
/// # sysdig-tracers recording 1
/// &lt;wall-clock ns since 1970&gt; &lt;pid&gt; &lt;tid&gt; &lt;tracer, byte for byte&gt;
/// </code>
/// The header line is written by each process when it opens the target. Lines are whole (see <see cref="LineTarget"/>).
/// </summary>
internal static unsafe class RecordingFile
{
    internal const string EnvironmentVariable = "SYSDIG_TRACERS_RECORD";

    /// <summary>The first line each process writes; the number is the version of the line format.</summary>
    internal const string Header = "# sysdig-tracers recording 1\n";

    // Three decimal numbers (at most 20 digits each) and their three spaces, then the tracer and the newline.
    private const int PrefixRoom = 64;

    private static readonly LineTarget Target = Create();

    [ThreadStatic]
    private static byte[]? t_line;

    [ThreadStatic]
    private static long t_tid;

    internal static bool IsOn => Target.IsOn;

    /// <summary>Writes the line of one tracer with one call.</summary>
    internal static void Write(byte* tracer, int length)
    {
        if (length > TracerWriter.MaxTracerLength)
        {
            return;
        }

        byte[] line = t_line ??= new byte[PrefixRoom + TracerWriter.MaxTracerLength + 1];
        long tid = t_tid;
        if (tid == 0)
        {
            t_tid = tid = ThreadIds.Current();
        }

        fixed (byte* start = line)
        {
            byte* p = start;
            p = PutNumber(p, Libc.RealTimeNanoseconds());
            *p++ = (byte)' ';
            p = PutNumber(p, ThreadIds.ProcessId);
            *p++ = (byte)' ';
            p = PutNumber(p, tid);
            *p++ = (byte)' ';
            Buffer.MemoryCopy(tracer, p, line.Length - (p - start), length);
            p += length;
            *p++ = (byte)'\n';
            Target.WriteLine(start, (int)(p - start));
        }
    }

    /// <summary>Selects the recording target; <see langword="null"/> or empty turns it off. Internal so tests can switch it.</summary>
    internal static void Configure(string? target) => Target.Configure(target);

    private static byte* PutNumber(byte* p, long value)
    {
        if (value < 0)
        {
            *p++ = (byte)'-';
            value = -value;
        }

        byte* digits = stackalloc byte[20];
        int count = 0;
        do
        {
            digits[count++] = (byte)('0' + (int)(value % 10));
            value /= 10;
        }
        while (value != 0);

        while (count > 0)
        {
            *p++ = digits[--count];
        }

        return p;
    }

    private static LineTarget Create()
    {
        var target = new LineTarget(Encoding.ASCII.GetBytes(Header));
        target.Configure(Settings.Read(EnvironmentVariable));
        return target;
    }
}
