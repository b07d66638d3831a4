using System.IO;
using System.Linq;
using System.Reflection;

namespace SysdigTracers.Tool.Tests;

/// <summary>Paths the build wrote into this assembly: the repository and the woven sample.</summary>
internal static class Repository
{
    public static string Root => Path.GetFullPath(Metadata("RepositoryRoot"));

    public static string SampleApp => Path.GetFullPath(Metadata("SampleAppPath"));

    public static string Input(string name) => Path.Combine(Root, "tools", "SysdigTracers.Tool.Tests", "Inputs", name);

    static string Metadata(string key) => typeof(Repository).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;
}
