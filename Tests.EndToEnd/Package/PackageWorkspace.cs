using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Security;
using System.Text.RegularExpressions;
using NUnit.Framework;

namespace Tests.Package;

/// <summary>
/// One temporary folder for every package test: both packages are packed once into <see cref="FeedDirectory"/>,
/// and consumer projects live beside it with their own NuGet packages folder, so no stale SysdigTracers package
/// from the user's cache can ever be restored.
/// </summary>
internal sealed class PackageWorkspace
{
    /// <summary>The weaver package.</summary>
    public const string PackageId = "SysdigTracers.Fody";

    /// <summary>The runtime package.</summary>
    public const string RuntimePackageId = "SysdigTracers";

    /// <summary>Libraries that tests pack into the local feed have ids starting with this.</summary>
    public const string TestLibraryPrefix = "TracedLib.";

    private const string LocalFeedKey = "sysdigtracers-under-test";

    private static readonly object Gate = new();
    private static PackageWorkspace? current;
    private static string? packFailure;

    private PackageWorkspace(string root, string repositoryRoot, string packageVersion)
    {
        Root = root;
        RepositoryRoot = repositoryRoot;
        PackageVersion = packageVersion;
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
    public string PackagePath => Path.Combine(FeedDirectory, $"{PackageId}.{PackageVersion}.nupkg");

    /// <summary>The packed SysdigTracers.&lt;version&gt;.nupkg.</summary>
    public string RuntimePackagePath => Path.Combine(FeedDirectory, $"{RuntimePackageId}.{PackageVersion}.nupkg");

    /// <summary>The runtime's symbols package (.snupkg).</summary>
    public string SymbolsPackagePath => Path.Combine(FeedDirectory, $"{RuntimePackageId}.{PackageVersion}.snupkg");

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
            foreach (var project in new[] { "SysdigTracers.Fody/SysdigTracers.Fody.csproj", "SysdigTracers/SysdigTracers.csproj" })
            {
                var pack = DotNetCli.Run(
                    repositoryRoot,
                    null,
                    "pack",
                    Path.Combine(repositoryRoot, project),
                    "--configuration", Configuration,
                    "--output", feed,
                    "--disable-build-servers",
                    "-nodeReuse:false");
                if (pack.ExitCode != 0)
                {
                    packFailure = pack.Describe();
                    Assert.Fail(packFailure);
                }
            }

            var weaverPackages = Directory.GetFiles(feed, PackageId + ".*.nupkg");
            var version = weaverPackages.Length == 1
                ? Regex.Match(Path.GetFileName(weaverPackages[0]), "^" + Regex.Escape(PackageId) + @"\.(.+)\.nupkg$").Groups[1].Value
                : "?";
            var packed = new PackageWorkspace(root, repositoryRoot, version);
            var files = Directory.GetFiles(feed).Select(Path.GetFileName).OrderBy(f => f, StringComparer.Ordinal).ToArray();
            var expected = new[] { packed.PackagePath, packed.RuntimePackagePath, packed.SymbolsPackagePath }
                .Select(Path.GetFileName).OrderBy(f => f, StringComparer.Ordinal).ToArray();
            if (!files.SequenceEqual(expected))
            {
                packFailure = $"Expected exactly {string.Join(", ", expected)} in {feed}, found: {string.Join(", ", files)}";
                Assert.Fail(packFailure);
            }

            current = packed;
            current.WriteConsumerSettings();
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
    /// Writes a project folder <paramref name="name"/> (replacing any earlier one) with the given files, beside the
    /// workspace's nuget.config; returns its path.
    /// </summary>
    public string CreateProject(string name, IReadOnlyDictionary<string, string> files)
    {
        var project = Path.Combine(Root, name);
        if (Directory.Exists(project))
        {
            Directory.Delete(project, recursive: true);
        }

        Directory.CreateDirectory(project);
        foreach (var file in files)
        {
            File.WriteAllText(Path.Combine(project, file.Key), file.Value);
        }

        return project;
    }

    /// <summary>One dotnet command in a consumer project, as a user types it, with the workspace's packages folder.</summary>
    public ProcessResult Dotnet(string project, params string[] arguments) =>
        DotNetCli.Run(
            project,
            new Dictionary<string, string?> { ["NUGET_PACKAGES"] = PackagesDirectory },
            arguments.Concat(new[] { "--disable-build-servers", "-nodeReuse:false" }).ToArray());

    /// <summary>
    /// The local feed serves the two packages and the libraries the tests pack (package source mapping); the
    /// machine's own sources serve the rest (Fody). `clear` drops every other configured source, so nothing of
    /// ours can come from elsewhere. Empty Directory.* files stop MSBuild's upward search at the workspace.
    /// </summary>
    private void WriteConsumerSettings()
    {
        File.WriteAllText(Path.Combine(Root, "Directory.Build.props"), "<Project />\n");
        File.WriteAllText(Path.Combine(Root, "Directory.Build.targets"), "<Project />\n");
        File.WriteAllText(Path.Combine(Root, "Directory.Packages.props"), "<Project />\n");

        var upstream = UpstreamSources();
        var sources = string.Concat(upstream.Select(s => $"    <add key=\"{SecurityElement.Escape(s.Key)}\" value=\"{SecurityElement.Escape(s.Value)}\" />\n"));
        var mappings = string.Concat(upstream.Select(s =>
            $"    <packageSource key=\"{SecurityElement.Escape(s.Key)}\">\n      <package pattern=\"*\" />\n    </packageSource>\n"));
        File.WriteAllText(Path.Combine(Root, "nuget.config"), $@"<?xml version=""1.0"" encoding=""utf-8""?>
<configuration>
  <packageSources>
    <clear />
    <add key=""{LocalFeedKey}"" value=""{SecurityElement.Escape(FeedDirectory)}"" />
{sources}  </packageSources>
  <packageSourceMapping>
    <packageSource key=""{LocalFeedKey}"">
      <package pattern=""{PackageId}"" />
      <package pattern=""{RuntimePackageId}"" />
      <package pattern=""{TestLibraryPrefix}*"" />
    </packageSource>
{mappings}  </packageSourceMapping>
</configuration>
");
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
