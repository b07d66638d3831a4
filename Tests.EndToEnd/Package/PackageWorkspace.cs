using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.RegularExpressions;
using NUnit.Framework;

namespace Tests.Package;

/// <summary>
/// One temporary folder for every package test: the package is packed once into <see cref="FeedDirectory"/>,
/// and consumer projects live beside it with their own NuGet packages folder, so no stale SysdigTracers.Fody
/// from the user's cache can ever be restored.
/// </summary>
internal sealed class PackageWorkspace
{
    public const string PackageId = "SysdigTracers.Fody";

    private static readonly object Gate = new();
    private static PackageWorkspace? current;
    private static string? packFailure;

    private PackageWorkspace(string root, string repositoryRoot, string packageVersion, string packagePath, string symbolsPackagePath)
    {
        Root = root;
        RepositoryRoot = repositoryRoot;
        PackageVersion = packageVersion;
        PackagePath = packagePath;
        SymbolsPackagePath = symbolsPackagePath;
    }

    /// <summary>The temporary folder holding the feed, the packages folder and the consumer projects.</summary>
    public string Root { get; }

    /// <summary>The clone's root (where SysdigTracers.sln is).</summary>
    public string RepositoryRoot { get; }

    public string FeedDirectory => Path.Combine(Root, "feed");

    /// <summary>The isolated NUGET_PACKAGES folder of the consumer projects.</summary>
    public string PackagesDirectory => Path.Combine(Root, "packages");

    public string PackageVersion { get; }

    /// <summary>The packed SysdigTracers.Fody.&lt;version&gt;.nupkg.</summary>
    public string PackagePath { get; }

    /// <summary>The packed symbols package (.snupkg).</summary>
    public string SymbolsPackagePath { get; }

    /// <summary>The build configuration these tests were built with; the package is packed with the same one.</summary>
    public static string Configuration =>
        typeof(PackageWorkspace).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration is { Length: > 0 } configuration
            ? configuration
            : "Debug";

    /// <summary>Packs the runtime project once per test run (from the clone these tests were built from).</summary>
    public static PackageWorkspace Get()
    {
        lock (Gate)
        {
            if (current != null)
            {
                return current;
            }

            if (packFailure != null)
            {
                Assert.Fail("Packing failed earlier in this run:" + Environment.NewLine + packFailure);
            }

            var repositoryRoot = FindRepositoryRoot();
            var root = Path.Combine(Path.GetTempPath(), "sysdigtracers-package-" + Guid.NewGuid().ToString("N").Substring(0, 12));
            Directory.CreateDirectory(root);
            TestContext.Progress.WriteLine($"Package tests work in {root}");
            var feed = Path.Combine(root, "feed");
            Directory.CreateDirectory(feed);

            // What a user runs (README "Building the package"), into the temporary feed instead of nugets/.
            var pack = DotNetCli.Run(
                repositoryRoot,
                null,
                "pack",
                Path.Combine(repositoryRoot, "SysdigTracers", "SysdigTracers.csproj"),
                "--configuration", Configuration,
                "--output", feed,
                "--disable-build-servers",
                "-nodeReuse:false");
            if (pack.ExitCode != 0)
            {
                packFailure = pack.Describe();
                Assert.Fail(packFailure);
            }

            var packages = Directory.GetFiles(feed, PackageId + ".*.nupkg");
            var symbols = Directory.GetFiles(feed, PackageId + ".*.snupkg");
            if (packages.Length != 1 || symbols.Length != 1)
            {
                packFailure = $"Expected one {PackageId} .nupkg and one .snupkg in {feed}, found: "
                    + string.Join(", ", Directory.GetFiles(feed).Select(Path.GetFileName)) + Environment.NewLine + pack.Describe();
                Assert.Fail(packFailure);
            }

            var version = Regex.Match(Path.GetFileName(packages[0]), "^" + Regex.Escape(PackageId) + @"\.(.+)\.nupkg$").Groups[1].Value;
            current = new PackageWorkspace(root, repositoryRoot, version, packages[0], symbols[0]);
            return current;
        }
    }

    /// <summary>Deletes the temporary folder unless SYSDIG_TRACERS_KEEP_TEST_FILES is set.</summary>
    public static void CleanUp()
    {
        lock (Gate)
        {
            if (current == null)
            {
                return;
            }

            if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("SYSDIG_TRACERS_KEEP_TEST_FILES")))
            {
                TestContext.Progress.WriteLine($"Package test files kept in {current.Root}");
            }
            else
            {
                try
                {
                    Directory.Delete(current.Root, recursive: true);
                }
                catch (IOException)
                {
                    // A leftover temporary folder is not a test failure.
                }
                catch (UnauthorizedAccessException)
                {
                }
            }

            current = null;
        }
    }

    /// <summary>
    /// The package sources the machine uses for everything else (Fody itself), as `dotnet nuget list source`
    /// reports them outside any project: name and URL or folder of each enabled source.
    /// </summary>
    public IReadOnlyList<KeyValuePair<string, string>> UpstreamSources()
    {
        // Run where no nuget.config of the temporary projects applies yet.
        var neutral = Path.Combine(Root, "sources-probe");
        Directory.CreateDirectory(neutral);
        var list = DotNetCli.RunChecked(neutral, null, "nuget", "list", "source", "--format", "Detailed");
        var sources = new List<KeyValuePair<string, string>>();
        var lines = list.Output.Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
        for (var i = 0; i < lines.Length - 1; i++)
        {
            var header = Regex.Match(lines[i], @"^\s*\d+\.\s+(?<name>.+?)\s+\[(?<state>Enabled|Disabled)\]\s*$");
            if (header.Success && header.Groups["state"].Value == "Enabled")
            {
                sources.Add(new KeyValuePair<string, string>(header.Groups["name"].Value, lines[i + 1].Trim()));
            }
        }

        if (sources.Count == 0)
        {
            Assert.Fail("No enabled NuGet source is configured on this machine, so Fody cannot be restored." + Environment.NewLine + list.Describe());
        }

        return sources;
    }

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); directory != null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "SysdigTracers.sln")))
            {
                return directory.FullName;
            }
        }

        Assert.Fail($"SysdigTracers.sln not found above {TestContext.CurrentContext.TestDirectory}.");
        return null!;
    }
}

/// <summary>Removes the package tests' temporary folder after the run.</summary>
[SetUpFixture]
public sealed class PackageTestsCleanup
{
    [OneTimeTearDown]
    public void DeleteTemporaryFiles() => PackageWorkspace.CleanUp();
}
