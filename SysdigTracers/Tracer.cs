using System;

namespace SysdigTracers;

/// <summary>Manual spans and the global switch of SysdigTracers.</summary>
public static class Tracer
{
    /// <summary>
    /// Whether tracers are written. Initialised from the environment variable <c>SYSDIG_TRACERS</c>
    /// (<c>0</c>, <c>false</c> or <c>off</c> disable); woven methods pay one branch when it is off.
    /// </summary>
    public static bool Enabled { get; set; } = true;

    /// <summary>Returns a fresh span id: positive, unique in this process, usable across threads.</summary>
    /// <returns>The new id.</returns>
    public static long NewSpanId() => throw new NotImplementedException();
}
