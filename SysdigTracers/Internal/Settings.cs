using System;

namespace SysdigTracers.Internal;

/// <summary>Reads the environment variables that configure tracing.</summary>
internal static class Settings
{
    internal const string EnabledVariable = "SYSDIG_TRACERS";

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
}
