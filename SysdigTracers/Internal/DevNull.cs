using System.Threading;

namespace SysdigTracers.Internal;

/// <summary>
/// The descriptor sysdig watches: <c>/dev/null</c> opened by this process with libc <c>open</c>, written with one
/// libc <c>write(2)</c> per tracer. Writes take no lock; the descriptor is opened lazily, once, under a lock.
/// </summary>
/// <remarks>
/// <c>O_CLOEXEC</c> keeps the descriptor out of programs started with exec; a forked child keeps a valid copy.
/// If the descriptor is closed under us (<c>EBADF</c>) it is reopened once and the tracer written again.
/// If it cannot be opened, or the OS is not Linux, every write is a no-op.
/// </remarks>
internal static unsafe class DevNull
{
    internal const string DefaultPath = "/dev/null";

    private const int Unopened = -2;
    private const int Unavailable = -1;

    // Taken only to open the descriptor, so that it is opened once; writes never take it.
    private static readonly object OpenLock = new();

    private static string s_path = DefaultPath;
    private static int s_fd = Unopened;

    /// <summary>Writes one tracer; never throws.</summary>
    internal static void Write(byte* tracer, int length)
    {
        int fd = s_fd;
        if (fd < 0)
        {
            if (fd == Unavailable)
            {
                return;
            }

            fd = Open();
            if (fd < 0)
            {
                return;
            }
        }

        if (Libc.WriteOnce(fd, tracer, length) == Libc.EBADF)
        {
            RetryOnFreshDescriptor(fd, tracer, length);
        }
    }

    private static void RetryOnFreshDescriptor(int staleFd, byte* tracer, int length)
    {
        int fd;
        lock (OpenLock)
        {
            // Another thread may already have reopened it, possibly under the same number: only a descriptor
            // that is really closed is replaced, so that exactly one new descriptor is opened.
            if (s_fd == staleFd && Libc.FcntlGetFlags(staleFd) == -1)
            {
                s_fd = Unopened;
            }

            fd = s_fd == Unopened ? Open() : s_fd;
        }

        if (fd >= 0)
        {
            Libc.WriteOnce(fd, tracer, length);
        }
    }

    private static int Open()
    {
        lock (OpenLock)
        {
            int current = s_fd;
            if (current != Unopened)
            {
                return current;
            }

            int fd;
            try
            {
                fd = Platform.IsLinux ? Libc.OpenPath(s_path, Libc.O_WRONLY | Libc.O_CLOEXEC, 0) : Unavailable;
            }
            catch
            {
                // libc missing or not loadable: tracing is a no-op.
                fd = Unavailable;
            }

            s_fd = fd < 0 ? Unavailable : fd;
            return s_fd;
        }
    }

    /// <summary>For tests: the current descriptor, opening it if needed (-1 when unavailable).</summary>
    internal static int DescriptorForTests
    {
        get
        {
            int fd = s_fd;
            return fd == Unopened ? Open() : fd;
        }
    }

    /// <summary>For tests only: closes the current descriptor and makes the next tracer open <paramref name="path"/>.</summary>
    internal static void UsePathForTests(string path)
    {
        lock (OpenLock)
        {
            int fd = Interlocked.Exchange(ref s_fd, Unopened);
            if (fd >= 0)
            {
                Libc.Close(fd);
            }

            s_path = path;
        }
    }
}
