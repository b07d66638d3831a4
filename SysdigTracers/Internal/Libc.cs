using System.Runtime.InteropServices;

namespace SysdigTracers.Internal;

/// <summary>The few libc calls the emitter needs, with blittable signatures.</summary>
/// <remarks>
/// Only called on Linux. <c>"libc"</c> is resolved by the runtime to the C library in use (<c>libc.so.6</c> on glibc).
/// <c>write</c> is a real syscall that may block, so the normal GC transition is required (no SuppressGCTransition).
/// </remarks>
internal static unsafe partial class Libc
{
    private const string Library = "libc";

    internal const int O_WRONLY = 0x1;
    internal const int O_CREAT = 0x40;
    internal const int O_APPEND = 0x400;
    internal const int O_CLOEXEC = 0x80000;
    internal const int O_NONBLOCK = 0x800;

    internal const int F_GETFD = 1;
    internal const int F_GETFL = 3;
    internal const int F_SETFL = 4;

    internal const int EINTR = 4;
    internal const int EBADF = 9;

#if NET
    [LibraryImport(Library, EntryPoint = "open", SetLastError = true)]
    internal static partial int Open(byte* path, int flags, int mode);

    // No SetLastError: its bookkeeping costs more than the rest of the emitter. errno is read right after a failed
    // call instead (see WriteOnce), where a rare clobbering by the runtime can only misclassify that one failure.
    [LibraryImport(Library, EntryPoint = "write")]
    internal static partial nint Write(int fd, byte* buffer, nint count);

    [LibraryImport(Library, EntryPoint = "close", SetLastError = true)]
    internal static partial int Close(int fd);

    [LibraryImport(Library, EntryPoint = "fcntl")]
    private static partial int Fcntl(int fd, int command);

    [LibraryImport(Library, EntryPoint = "fcntl")]
    private static partial int FcntlWithArgument(int fd, int command, int argument);

    [LibraryImport(Library, EntryPoint = "statx")]
    private static partial int Statx(int dirfd, byte* path, int flags, uint mask, byte* buffer);

    [LibraryImport(Library, EntryPoint = "gettid")]
    internal static partial int GetThreadId();

    [LibraryImport(Library, EntryPoint = "getpid")]
    internal static partial int GetProcessId();

    [LibraryImport(Library, EntryPoint = "clock_gettime")]
    private static partial int ClockGetTime(int clock, TimeSpec* time);

    internal static int LastError => Marshal.GetLastPInvokeError();

    private static int WriteErrno => Marshal.GetLastSystemError();
#else
    [DllImport(Library, EntryPoint = "open", SetLastError = true)]
    internal static extern int Open(byte* path, int flags, int mode);

    [DllImport(Library, EntryPoint = "write", SetLastError = true)]
    internal static extern nint Write(int fd, byte* buffer, nint count);

    [DllImport(Library, EntryPoint = "close", SetLastError = true)]
    internal static extern int Close(int fd);

    [DllImport(Library, EntryPoint = "fcntl")]
    private static extern int Fcntl(int fd, int command);

    [DllImport(Library, EntryPoint = "fcntl")]
    private static extern int FcntlWithArgument(int fd, int command, int argument);

    [DllImport(Library, EntryPoint = "statx")]
    private static extern int Statx(int dirfd, byte* path, int flags, uint mask, byte* buffer);

    [DllImport(Library, EntryPoint = "gettid")]
    internal static extern int GetThreadId();

    [DllImport(Library, EntryPoint = "getpid")]
    internal static extern int GetProcessId();

    [DllImport(Library, EntryPoint = "clock_gettime")]
    private static extern int ClockGetTime(int clock, TimeSpec* time);

    internal static int LastError => Marshal.GetLastWin32Error();

    private static int WriteErrno => Marshal.GetLastWin32Error();
#endif

    /// <summary>The descriptor flags, or -1 when <paramref name="fd"/> is not open.</summary>
    internal static int FcntlGetFlags(int fd) => Fcntl(fd, F_GETFD);

    /// <summary>Clears <c>O_NONBLOCK</c> from the file status flags of <paramref name="fd"/>, if it can.</summary>
    internal static void ClearNonBlocking(int fd)
    {
        int flags = Fcntl(fd, F_GETFL);
        if (flags != -1 && (flags & O_NONBLOCK) != 0)
        {
            FcntlWithArgument(fd, F_SETFL, flags & ~O_NONBLOCK);
        }
    }

    /// <summary>
    /// Whether <paramref name="fd"/> refers to a character device (as <c>/dev/null</c> does); <see langword="null"/> when
    /// that cannot be told (a libc or kernel without <c>statx</c>).
    /// </summary>
    internal static bool? IsCharacterDevice(int fd) => FileTypeIs(fd, 0x2000);

    /// <summary>Whether <paramref name="fd"/> refers to a regular file; <see langword="null"/> when that cannot be told.</summary>
    internal static bool? IsRegularFile(int fd) => FileTypeIs(fd, 0x8000);

    /// <summary>
    /// Compares the file type bits of <paramref name="fd"/> with <paramref name="type"/>, from
    /// <c>statx(fd, "", AT_EMPTY_PATH, STATX_TYPE)</c>, whose result layout is the same on every architecture.
    /// </summary>
    private static bool? FileTypeIs(int fd, int type)
    {
        const int AT_EMPTY_PATH = 0x1000;
        const uint STATX_TYPE = 0x1;
        const int StxModeOffset = 28;
        const int S_IFMT = 0xF000;

        byte* buffer = stackalloc byte[256];
        byte emptyPath = 0;
        try
        {
            if (Statx(fd, &emptyPath, AT_EMPTY_PATH, STATX_TYPE, buffer) != 0)
            {
                return null;
            }
        }
        catch (System.EntryPointNotFoundException)
        {
            return null;
        }

        ushort mode = *(ushort*)(buffer + StxModeOffset);
        return (mode & S_IFMT) == type;
    }

    /// <summary>Wall-clock time (<c>CLOCK_REALTIME</c>) in nanoseconds since 1970-01-01 UTC.</summary>
    internal static long RealTimeNanoseconds()
    {
        TimeSpec time;
        if (ClockGetTime(0, &time) == 0)
        {
            return (long)time.Seconds * 1_000_000_000L + time.Nanoseconds;
        }

        return (System.DateTime.UtcNow.Ticks - 621355968000000000L) * 100;
    }

    /// <summary>One <c>write(2)</c>, retried on <c>EINTR</c>: the bytes written, or -1.</summary>
    internal static nint WriteSome(int fd, byte* buffer, int count)
    {
        for (int attempt = 0; ; attempt++)
        {
            nint written = Write(fd, buffer, count);
            if (written >= 0 || WriteErrno != EINTR || attempt == MaxInterruptedRetries)
            {
                return written;
            }
        }
    }

    /// <summary>Opens <paramref name="path"/> with libc <c>open</c>; returns the descriptor or -1.</summary>
    internal static int OpenPath(string path, int flags, int mode)
    {
        byte[] bytes = new byte[System.Text.Encoding.UTF8.GetByteCount(path) + 1];
        System.Text.Encoding.UTF8.GetBytes(path, 0, path.Length, bytes, 0);
        fixed (byte* p = bytes)
        {
            return Open(p, flags, mode);
        }
    }

    /// <summary>Writes the whole buffer with one <c>write(2)</c>, retrying on <c>EINTR</c>.</summary>
    /// <returns>0 on success, otherwise the errno of the failed call (-1 for a short write).</returns>
    internal static int WriteOnce(int fd, byte* buffer, int count)
    {
        // Bounded, so that a misread errno can never make this spin.
        for (int attempt = 0; ; attempt++)
        {
            nint written = Write(fd, buffer, count);
            if (written == count)
            {
                return 0;
            }

            if (written >= 0)
            {
                // A short write cannot be completed without a second write, which would not be a tracer.
                return -1;
            }

            int errno = WriteErrno;
            if (errno != EINTR || attempt == MaxInterruptedRetries)
            {
                return errno;
            }
        }
    }

    private const int MaxInterruptedRetries = 16;

    // struct timespec: time_t and long, both the width of a pointer on Linux (64-bit time on 32-bit glibc uses
    // another symbol, which is not needed for a timestamp).
    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public nint Seconds;
        public nint Nanoseconds;
    }
}
