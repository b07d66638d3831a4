using System;

namespace SysdigTracers;

/// <summary>Test-only hook (visible to the test assembly): sees a copy of every tracer that is written.</summary>
internal static class TracerTestHook
{
    /// <summary>
    /// When set, called with a fresh copy of the exact bytes of every tracer written (after the /dev/null write, or
    /// instead of it when /dev/null is unavailable), on the writing thread. Exceptions it throws are swallowed.
    /// </summary>
    internal static Action<byte[]>? TestObserver;
}
