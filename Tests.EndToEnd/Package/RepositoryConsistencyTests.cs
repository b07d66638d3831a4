using System;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using NUnit.Framework;

namespace Tests.Package;

/// <summary>
/// Guards around the package that no compiler checks: the weaver project hands Fody to everything that
/// references it, and the README, .ci/run and appveyor.yml must keep giving the same commands.
/// </summary>
[TestFixture]
[Category("Package")]
public sealed class RepositoryConsistencyTests
{
    private static readonly string Root = FindRepositoryRoot();

    [Test]
    public void Every_project_referencing_the_weaver_disables_Fody_unless_it_is_woven_on_purpose()
    {
        // The weaver references Fody with PrivateAssets="None" (so that its package depends on it), which makes
        // Fody's build targets flow into every project that references the weaver project. Those that are not
        // meant to be woven must say <DisableFody>true</DisableFody>; those that are have a FodyWeavers.xml.
        var offenders = Projects()
            .Where(p => References(p, "SysdigTracers.Fody.csproj"))
            .Where(p => !File.Exists(Path.Combine(Path.GetDirectoryName(p)!, "FodyWeavers.xml")))
            .Where(p => !XDocument.Load(p).Descendants("DisableFody").Any(e => e.Value.Trim().Equals("true", StringComparison.OrdinalIgnoreCase)))
            .Select(p => Path.GetRelativePath(Root, p))
            .ToArray();

        Assert.That(offenders, Is.Empty, "projects that reference SysdigTracers.Fody without <DisableFody>true</DisableFody> or a FodyWeavers.xml");
    }

    [Test]
    public void Woven_projects_in_the_repository_commit_their_FodyWeavers_xsd()
    {
        // Fody writes FodyWeavers.xsd on the first build; without it in git, CI trees come out dirty.
        var missing = Projects()
            .Select(Path.GetDirectoryName)
            .Where(d => File.Exists(Path.Combine(d!, "FodyWeavers.xml")) && !File.Exists(Path.Combine(d!, "FodyWeavers.xsd")))
            .Select(d => Path.GetRelativePath(Root, d!))
            .ToArray();

        Assert.That(missing, Is.Empty);
    }

    [Test]
    public void Readme_ci_and_appveyor_give_the_same_test_and_pack_commands()
    {
        var readme = File.ReadAllText(Path.Combine(Root, "README.md"));
        var ci = File.ReadAllText(Path.Combine(Root, ".ci", "run"));
        var appveyor = File.ReadAllText(Path.Combine(Root, "appveyor.yml"));

        Assert.Multiple(() =>
        {
            Assert.That(readme, Does.Contain("\ndotnet test SysdigTracers.sln\n"), "README: the test command");
            Assert.That(ci, Does.Contain("\ndotnet test SysdigTracers.sln"), ".ci/run runs the README's test command");
            Assert.That(appveyor, Does.Contain("dotnet test SysdigTracers.sln --configuration Release"));
            Assert.That(readme, Does.Contain("\ndotnet test Tests/Tests.csproj --configuration Release -e DOTNET_TieredCompilation=0\n"), "README: the optimised run");
            Assert.That(ci, Does.Contain("\ndotnet test Tests/Tests.csproj --configuration Release -e DOTNET_TieredCompilation=0\n"), ".ci/run runs the optimised run");
            Assert.That(appveyor, Does.Contain("dotnet test Tests/Tests.csproj --configuration Release --no-build -e DOTNET_TieredCompilation=0"));
            Assert.That(readme, Does.Contain("\ndotnet pack SysdigTracers.sln --configuration Release\n"), "README: the pack command (the package and the tool)");
            Assert.That(appveyor, Does.Contain("dotnet pack SysdigTracers.sln --configuration Release"));
            Assert.That(appveyor, Does.Contain("path: nugets/*.nupkg"), "appveyor publishes what the README says pack writes");
            Assert.That(readme, Does.Contain("`nugets/SysdigTracers.Fody.<version>.nupkg`"));
            Assert.That(readme, Does.Contain("`nugets/SysdigTracers.Tool.<version>.nupkg`"));
            Assert.That(readme, Does.Contain("`nugets/SysdigTracers.<version>.nupkg`"));
        });
    }

    [Test]
    public void Every_project_the_readme_runs_exists()
    {
        var readme = File.ReadAllText(Path.Combine(Root, "README.md"));
        var projects = Regex.Matches(readme, @"dotnet (?:run|test|build|pack) (?:--project )?(?<path>[\w./-]+)")
            .Select(m => m.Groups["path"].Value)
            .Where(p => p.Contains('/') || p.EndsWith(".sln", StringComparison.Ordinal))
            .Distinct()
            .ToArray();

        Assert.That(projects, Does.Contain("samples/SampleApp").And.Contain("SysdigTracers.sln"));
        foreach (var path in projects)
        {
            var full = Path.Combine(Root, path);
            Assert.That(File.Exists(full) || Directory.Exists(full), $"README runs {path}, which is not in the repository");
        }
    }

    private static string[] Projects() =>
        Directory.EnumerateFiles(Root, "*.csproj", SearchOption.AllDirectories)
            .Where(p => !p.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj" or ".git"))
            .ToArray();

    private static bool References(string project, string referencedFileName) =>
        XDocument.Load(project).Descendants("ProjectReference")
            .Any(r => Path.GetFileName(((string?)r.Attribute("Include") ?? string.Empty).Replace('\\', '/')) == referencedFileName);

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory != null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "SysdigTracers.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("SysdigTracers.sln not found above " + AppContext.BaseDirectory);
    }
}
