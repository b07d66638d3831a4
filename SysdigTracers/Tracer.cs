using SysdigTracers.Internal;

namespace SysdigTracers;

/// <summary>Manual spans and the global switch of SysdigTracers.</summary>
public static class Tracer
{
    private static bool s_enabled = Settings.ParseEnabled(Settings.Read(Settings.EnabledVariable));

    /// <summary>
    /// Whether tracers are written. Initialised from the environment variable <c>SYSDIG_TRACERS</c>
    /// (<c>0</c>, <c>false</c> or <c>off</c> disable); woven methods pay one branch when it is off.
    /// </summary>
    public static bool Enabled
    {
        get => s_enabled;
        set => s_enabled = value;
    }

    /// <summary>Returns a fresh span id: positive, unique in this process, usable across threads.</summary>
    /// <returns>The new id.</returns>
    public static long NewSpanId() => SpanIds.Next();
}
