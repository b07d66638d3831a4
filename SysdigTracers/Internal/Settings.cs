using System;
using System.Globalization;

namespace SysdigTracers.Internal;

/// <summary>Reads the environment variables that configure tracing.</summary>
internal static class Settings
{
    internal const string EnabledVariable = "SYSDIG_TRACERS";
    internal const string TraceContextVariable = "SYSDIG_TRACERS_TRACE_CONTEXT";
    internal const string MaxSpansPerSecondVariable = "SYSDIG_TRACERS_MAX_SPANS_PER_SECOND";
    internal const string MaxAssemblySpansPerSecondVariable = "SYSDIG_TRACERS_MAX_ASSEMBLY_SPANS_PER_SECOND";

    /// <summary><c>SYSDIG_TRACERS_TRACE_CONTEXT</c>: null when unset or empty, otherwise whether it enables.</summary>
    internal static readonly bool? TraceContext = ParseOptional(Read(TraceContextVariable));

    /// <summary>
    /// <c>SYSDIG_TRACERS_MAX_SPANS_PER_SECOND</c>: the ceiling on spans per second of each woven method, replacing the
    /// one woven from FodyWeavers.xml (0: none); null when unset or not a whole number from 0 up.
    /// </summary>
    internal static readonly int? MaxSpansPerSecond = ParseCeiling(Read(MaxSpansPerSecondVariable));

    /// <summary>
    /// <c>SYSDIG_TRACERS_MAX_ASSEMBLY_SPANS_PER_SECOND</c>: the ceiling on spans per second of all woven methods of an
    /// assembly together, replacing the one woven from FodyWeavers.xml in every assembly (0: none); null when unset or
    /// not a whole number from 0 up.
    /// </summary>
    internal static readonly int? MaxAssemblySpansPerSecond = ParseCeiling(Read(MaxAssemblySpansPerSecondVariable));

    internal static string? Read(string name)
    {
        try
        {
            return Environment.GetEnvironmentVariable(name);
        }
        catch
        {
            return null;
        }
    }

    /// <summary><c>0</c>, <c>false</c> and <c>off</c> (any case, surrounding spaces ignored) disable; anything else enables.</summary>
    internal static bool ParseEnabled(string? value)
    {
        if (value == null)
        {
            return true;
        }

        string v = value.Trim();
        return !(v == "0" ||
                 string.Equals(v, "false", StringComparison.OrdinalIgnoreCase) ||
                 string.Equals(v, "off", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Null for an unset or blank value; otherwise as <see cref="ParseEnabled"/>.</summary>
    internal static bool? ParseOptional(string? value) =>
        value == null || value.Trim().Length == 0 ? null : ParseEnabled(value);

    /// <summary>A whole number from 0 up (surrounding spaces ignored), or null.</summary>
    internal static int? ParseCeiling(string? value) =>
        value != null && int.TryParse(value.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int ceiling)
            ? ceiling
            : null;
}
