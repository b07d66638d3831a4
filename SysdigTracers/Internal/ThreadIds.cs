using System;

namespace SysdigTracers.Internal;

/// <summary>The kernel's ids of this process and of the calling thread: what sysdig resolves <c>p</c> and <c>t</c> to.</summary>
internal static class ThreadIds
{
    internal static readonly long ProcessId = ReadProcessId();

    /// <summary>The calling thread's kernel thread id (<c>gettid</c>); never 0.</summary>
    internal static long Current()
    {
        try
        {
            int tid = Libc.GetThreadId();
            if (tid > 0)
            {
                return tid;
            }
        }
        catch
        {
            // A libc without gettid (glibc before 2.30): fall through.
        }

        // Still one distinct number per live thread, which is what pairing by thread needs; negative so that it is
        // never mistaken for a kernel id.
        return -Environment.CurrentManagedThreadId;
    }

    private static long ReadProcessId()
    {
        try
        {
            return Libc.GetProcessId();
        }
        catch
        {
            return 0;
        }
    }
}
