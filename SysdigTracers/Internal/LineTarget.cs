using System;
using System.Threading;

namespace SysdigTracers.Internal;

/// <summary>
/// A destination for whole lines, named by an environment variable: <c>stderr</c>, <c>stdout</c> or a file path
/// (opened lazily, appended to with <c>O_APPEND</c>, created with mode 0644). Failures are ignored: a line target never
/// affects tracing. Linux only, like the emitter.
/// </summary>
/// <remarks>
/// Every line is one <c>write(2)</c>. On a regular file <c>O_APPEND</c> keeps concurrent lines whole, from this process
/// and from others. On anything else (a pipe, a FIFO, a terminal) a write over <c>PIPE_BUF</c> (4096 bytes; a tracer
/// and its newline can be 4097) may be split and interleaved with another thread's, so those writes are serialised by a
/// lock, and a write cut short (by a signal) is finished under the same lock.
/// </remarks>
internal sealed unsafe class LineTarget
{
    private const int Off = -1;
    private const int PendingOpen = -2;

    private readonly object _writeLock = new();
    private readonly byte[]? _header;
    private int _fd = Off;
    private string? _path;
    private bool _serialise;

    /// <param name="header">A line written once, when the target is opened, before any other line.</param>
    internal LineTarget(byte[]? header) => _header = header;

    internal bool IsOn => Volatile.Read(ref _fd) != Off;

    /// <summary>Writes <paramref name="length"/> bytes (a whole line, its newline included) in one call.</summary>
    internal void WriteLine(byte* line, int length)
    {
        int fd = Volatile.Read(ref _fd);
        if (fd == PendingOpen)
        {
            fd = Open();
        }

        if (fd < 0)
        {
            return;
        }

        if (!_serialise)
        {
            Libc.WriteOnce(fd, line, length);
            return;
        }

        lock (_writeLock)
        {
            WriteAll(fd, line, length);
        }
    }

    /// <summary>Selects the target; <see langword="null"/> or empty turns it off.</summary>
    internal void Configure(string? target)
    {
        int old = Interlocked.Exchange(ref _fd, Off);
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
        _path = string.IsNullOrEmpty(target) || !Platform.IsLinux ? null : target;
        if (_path != null)
        {
            _fd = PendingOpen;
        }
    }

    private int Open()
    {
        int fd = Off;
        bool serialise = true;
        try
        {
            fd = OpenDescriptor(_path);
            if (fd >= 0)
            {
                serialise = Libc.IsRegularFile(fd) != true;
            }
        }
        catch
        {
            fd = Off;
        }

        if (fd < 0)
        {
            fd = Off;
        }

        lock (_writeLock)
        {
            if (_fd != PendingOpen)
            {
                // Another thread opened it first, or the target changed meanwhile.
                if (fd > 2)
                {
                    Libc.Close(fd);
                }

                return _fd;
            }

            _serialise = serialise;
            if (fd >= 0 && _header != null)
            {
                fixed (byte* p = _header)
                {
                    WriteAll(fd, p, _header.Length);
                }
            }

            Volatile.Write(ref _fd, fd);
            return fd;
        }
    }

    private static int OpenDescriptor(string? path)
    {
        if (path == null)
        {
            return Off;
        }

        if (string.Equals(path, "stderr", StringComparison.OrdinalIgnoreCase))
        {
            return 2;
        }

        if (string.Equals(path, "stdout", StringComparison.OrdinalIgnoreCase))
        {
            return 1;
        }

        // O_NONBLOCK: a FIFO without a reader must not block the traced call (open fails with ENXIO instead).
        // Then writes block again, as on stdout: a line written to a full non-blocking pipe could be cut short.
        int fd = Libc.OpenPath(path, Libc.O_WRONLY | Libc.O_CREAT | Libc.O_APPEND | Libc.O_CLOEXEC | Libc.O_NONBLOCK, 0x1A4);
        if (fd >= 0)
        {
            Libc.ClearNonBlocking(fd);
        }

        return fd;
    }

    private static void WriteAll(int fd, byte* line, int length)
    {
        // Bounded, so that a descriptor that keeps accepting a few bytes at a time cannot hold the lock forever.
        for (int attempt = 0; length > 0 && attempt < 64; attempt++)
        {
            nint written = Libc.WriteSome(fd, line, length);
            if (written <= 0)
            {
                return;
            }

            line += written;
            length -= (int)written;
        }
    }
}
