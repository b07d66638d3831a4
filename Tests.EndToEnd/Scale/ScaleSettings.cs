using System;
using System.IO;
using NUnit.Framework;

namespace Tests.Scale;

/// <summary>
/// How much the scale tests do. The default test run uses a reduced corpus and short load runs; setting
/// <c>SYSDIG_SCALE_FULL=1</c> runs the full corpus, longer load runs, and writes <c>docs/reliability-report.md</c>.
/// </summary>
public static class ScaleSettings
{
    /// <summary>The environment variable that selects the full runs.</summary>
    public const string FullVariable = "SYSDIG_SCALE_FULL";

    /// <summary>Whether the full corpus and the long runs are selected.</summary>
    public static bool Full => Environment.GetEnvironmentVariable(FullVariable) == "1";

    /// <summary>Generated corpus items per library (on top of the hand-written ones).</summary>
    public static int GeneratedItems => Full ? 300 : 6;

    /// <summary>Seconds each load run lasts.</summary>
    public static double LoadSeconds => Full ? 10 : 2.5;

    /// <summary>Random values of the fuzz tests.</summary>
    public static int FuzzValues => Full ? 200_000 : 12_000;

    /// <summary>The directory of the test assembly (where the third-party dlls are copied).</summary>
    public static string TestDirectory => TestContext.CurrentContext.TestDirectory;

    /// <summary>The repository root (the folder holding SysdigTracers.sln), or null when not found.</summary>
    public static string? RepositoryRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(TestDirectory); dir != null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "SysdigTracers.sln")))
                {
                    return dir.FullName;
                }
            }

            return null;
        }
    }
}
