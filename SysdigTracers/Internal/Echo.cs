using System;
using System.Threading;

namespace SysdigTracers.Internal;

/// <summary>
/// The optional copy of every tracer, one per line, selected by <c>SYSDIG_TRACERS_ECHO</c>: <c>stderr</c>, <c>stdout</c>
/// or a file path (opened lazily, appended to, created with mode 0644). Failures are ignored: the echo never affects
/// tracing. Linux only, like the emitter.
/// </summary>
internal static unsafe class Echo
{
    internal const string EnvironmentVariable = "SYSDIG_TRACERS_ECHO";

    private const int Off = -1;
    private const int PendingOpen = -2;

    private static int s_fd = Off;
    private static string? s_path;

    static Echo() => Configure(Settings.Read(EnvironmentVariable));

    internal static bool IsOn => s_fd != Off;

    /// <summary>Writes <c>tracer + '\n'</c> in one call; <paramref name="tracer"/> must have room for the newline.</summary>
    internal static void Write(byte* tracer, int length)
    {
        int fd = s_fd;
        if (fd == PendingOpen)
        {
            fd = OpenFile();
        }

        if (fd >= 0)
        {
            tracer[length] = (byte)'\n';
            Libc.WriteOnce(fd, tracer, length + 1);
        }
    }

    private static int OpenFile()
    {
        string? path = s_path;
        int fd = Off;
        if (path != null)
        {
            try
            {
                // O_NONBLOCK: a FIFO without a reader must not block the traced call (open fails with ENXIO instead).
                // Then writes block again, as on stdout: a line (up to 4097 bytes, over PIPE_BUF) written to a full
                // non-blocking pipe could be cut short and glued to the next one.
                fd = Libc.OpenPath(path, Libc.O_WRONLY | Libc.O_CREAT | Libc.O_APPEND | Libc.O_CLOEXEC | Libc.O_NONBLOCK, 0x1A4);
                if (fd >= 0)
                {
                    Libc.ClearNonBlocking(fd);
                }
            }
            catch
            {
                fd = Off;
            }
        }

        if (fd < 0)
        {
            fd = Off;
        }

        int previous = Interlocked.CompareExchange(ref s_fd, fd, PendingOpen);
        if (previous == PendingOpen)
        {
            return fd;
        }

        if (fd >= 0)
        {
            Libc.Close(fd);
        }

        return previous;
    }

    /// <summary>Selects the echo target; <see langword="null"/> or empty turns it off. Internal so tests can switch it.</summary>
    internal static void Configure(string? target)
    {
        int old = Interlocked.Exchange(ref s_fd, Off);
        if (old > 2)
        {
            try
            {
                Libc.Close(old);
            }
            catch
            {
                // Nothing to undo.
            }
        }

        target = target?.Trim();
        if (string.IsNullOrEmpty(target) || !Platform.IsLinux)
        {
            s_path = null;
            return;
        }

        if (string.Equals(target, "stderr", StringComparison.OrdinalIgnoreCase))
        {
            s_path = null;
            s_fd = 2;
        }
        else if (string.Equals(target, "stdout", StringComparison.OrdinalIgnoreCase))
        {
            s_path = null;
            s_fd = 1;
        }
        else
        {
            s_path = target;
            s_fd = PendingOpen;
        }
    }
}
