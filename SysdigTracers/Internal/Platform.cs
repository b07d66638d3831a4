using System.Runtime.InteropServices;

namespace SysdigTracers.Internal;

internal static class Platform
{
    /// <summary>Tracers only mean something to sysdig, which runs on Linux; elsewhere the emitter is a no-op.</summary>
    internal static readonly bool IsLinux = DetectLinux();

    private static bool DetectLinux()
    {
        try
        {
            return RuntimeInformation.IsOSPlatform(OSPlatform.Linux);
        }
        catch
        {
            return false;
        }
    }
}
