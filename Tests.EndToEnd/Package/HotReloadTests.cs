using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading;
using NUnit.Framework;
using Tests.EndToEnd;

namespace Tests.Package;

/// <summary>
/// `dotnet watch` on an application woven by the packed packages applies body edits with Hot Reload: no CS7038 (the
/// woven module references what the compiler's output referenced), no rude edit, no restart. An edited method runs the
/// compiler's new body, which is not woven until the next build: an untraced method shows its new output, a traced
/// method, async method or iterator shows its new output and writes no tracers, and the methods not edited keep
/// writing theirs. A call in flight when its body is edited (an async method waiting on an <c>await</c>, an enumeration
/// between two items) continues in the new <c>MoveNext</c> and ends without its exit tracer.
/// </summary>
[TestFixture]
[Category("Package")]
[NonParallelizable]
public sealed class HotReloadTests
{
    private const string Namespace = "HotReloadConsumer";

    private const string ProgramSource = @"using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using SysdigTracers;

[assembly: System.Reflection.Metadata.MetadataUpdateHandler(typeof(HotReloadConsumer.Updates))]

namespace HotReloadConsumer;

public static class Program
{
    public static async Task Main()
    {
        Console.WriteLine(""started pid="" + Environment.ProcessId);
        var waiting = InFlight.Waiting();
        IEnumerator<string>? steps = InFlight.Steps().GetEnumerator();
        steps.MoveNext();
        Console.WriteLine(""step: "" + steps.Current);

        // Ends by itself after ten minutes, should the test ever leave it behind.
        for (var i = 0; i < 2400; i++)
        {
            Console.WriteLine(""plain: "" + Greeter.Plain());
            Console.WriteLine(""traced: "" + Greeter.Traced());
            Console.WriteLine(""async: "" + await Greeter.TracedAsync());
            Console.WriteLine(""iterator: "" + string.Join("","", Greeter.Items()));
            if (steps != null && Updates.Applied.Task.IsCompleted)
            {
                Console.WriteLine(""waiting: "" + await waiting);
                while (steps.MoveNext())
                {
                    Console.WriteLine(""step: "" + steps.Current);
                }

                steps.Dispose();
                steps = null;
                Console.WriteLine(""in flight: done"");
            }

            Thread.Sleep(250);
        }
    }
}

/// <summary>Called by Hot Reload after it applied an update.</summary>
public static class Updates
{
    public static readonly TaskCompletionSource<bool> Applied = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public static void UpdateApplication(Type[]? types) => Applied.TrySetResult(true);
}

public static class InFlight
{
    [Traced]
    public static async Task<string> Waiting()
    {
        await Updates.Applied.Task;
        return ""waiting-1"";
    }

    [Traced]
    public static IEnumerable<string> Steps()
    {
        yield return ""step-a"";
        yield return ""step-1"";
    }
}

public static class Greeter
{
    public static string Plain() => ""plain-1"";

    [Traced]
    public static string Traced()
    {
        return ""traced-1"";
    }

    [Traced]
    public static async Task<string> TracedAsync()
    {
        await Task.Yield();
        return ""async-1"";
    }

    [Traced]
    public static IEnumerable<string> Items()
    {
        yield return ""iterator-1"";
    }
}
";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan EditTimeout = TimeSpan.FromSeconds(90);

    /// <summary>The edits in order: the printed value each method returns, and the tag of its tracers (none for Plain).</summary>
    private static readonly (string Label, string Tag)[] Edits =
    {
        ("plain", $"{Namespace}.Greeter.Plain"),
        ("traced", $"{Namespace}.Greeter.Traced"),
        ("async", $"{Namespace}.Greeter.TracedAsync"),
        ("iterator", $"{Namespace}.Greeter.Items"),
    };

    /// <summary>The methods whose call is in flight at the first edit, which edits them too.</summary>
    private static readonly (string Label, string Tag)[] InFlight =
    {
        ("waiting", $"{Namespace}.InFlight.Waiting"),
        ("step", $"{Namespace}.InFlight.Steps"),
    };

    [Test]
    public void Dotnet_watch_applies_body_edits_of_woven_and_untraced_methods()
    {
        var workspace = PackageWorkspace.Get();
        var project = workspace.CreateProject("HotReloadConsumer", new Dictionary<string, string>
        {
            ["HotReloadConsumer.csproj"] = $@"<Project Sdk=""Microsoft.NET.Sdk"">
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>net{Environment.Version.Major}.0</TargetFramework>
    <Nullable>enable</Nullable>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include=""{PackageWorkspace.PackageId}"" Version=""{workspace.PackageVersion}"" />
  </ItemGroup>
</Project>
",
            ["FodyWeavers.xml"] = "<Weavers>\n  <SysdigTracers />\n</Weavers>\n",
            ["Program.cs"] = ProgramSource,
        });
        var programPath = Path.Combine(project, "Program.cs");

        var start = new ProcessStartInfo(DotNetCli.DotNetPath) { WorkingDirectory = project };
        foreach (var argument in new[] { "watch", "run", "--non-interactive" })
        {
            start.ArgumentList.Add(argument);
        }

        DotNetCli.Isolate(start.Environment);
        start.Environment["NUGET_PACKAGES"] = workspace.PackagesDirectory;
        start.Environment["SYSDIG_TRACERS_ECHO"] = "stdout";
        start.Environment["DOTNET_WATCH_SUPPRESS_EMOJIS"] = "1";
        // Change notifications of a temporary folder are not reliable in every container; polling is.
        start.Environment["DOTNET_USE_POLLING_FILE_WATCHER"] = "1";

        int? applicationId = null;
        using (var watch = new ChildProcess(start))
        {
            // The first build (restore and Fody included) and two loops of the woven application.
            watch.WaitForOutput(
                o => NoEmitError(o) && Lines(o).Count(l => l.StartsWith("iterator: ", StringComparison.Ordinal)) >= 2
                     && o.Contains("Waiting for changes", StringComparison.OrdinalIgnoreCase),
                StartTimeout,
                "the woven application's first output while dotnet watch waits for changes");
            applicationId = ApplicationId(watch.Output);
            foreach (var (label, tag) in Edits.Skip(1))
            {
                AssertTracersAfter(watch.Output, $"started pid={applicationId}", tag, expected: true, "before any edit");
            }

            for (var i = 0; i < Edits.Length; i++)
            {
                var (label, tag) = Edits[i];
                var text = File.ReadAllText(programPath);
                foreach (var value in i == 0 ? InFlight.Select(m => m.Label).Append(label) : new[] { label })
                {
                    text = text.Replace($"\"{value}-1\"", $"\"{value}-2\"");
                }

                ReplaceAtOnce(programPath, text);
                var edited = $"{label}: {label}-2";
                var applied = i + 1;

                // Three loops with the new body: the loop after the first one is whole.
                watch.WaitForOutput(
                    o => NoEmitError(o) && Lines(o).Count(l => l == edited) >= 3 && AppliedCount(o) >= applied,
                    EditTimeout,
                    $"dotnet watch applying the edit of {label} ({applied} changes applied) and the new output");

                if (i == 0)
                {
                    watch.WaitForOutput(o => Lines(o).Contains("in flight: done"), EditTimeout, "the calls in flight to complete");
                    AssertInFlight(watch.Output);
                }

                var output = watch.Output;
                Assert.Multiple(() =>
                {
                    if (i > 0)
                    {
                        // The edited method is the compiler's new body, not woven until the next build.
                        AssertTracersAfter(output, edited, tag, expected: false, $"after the edit of {label}");
                    }

                    foreach (var (otherLabel, otherTag) in Edits.Skip(i + 1))
                    {
                        AssertTracersAfter(output, edited, otherTag, expected: true, $"{otherLabel} is not edited yet, after the edit of {label}");
                    }
                });
            }

            var lines = Lines(watch.Output);
            TestContext.Out.WriteLine(string.Join(Environment.NewLine, lines.Where(l => l.StartsWith("dotnet watch", StringComparison.Ordinal))));
            Assert.Multiple(() =>
            {
                Assert.That(lines.Count(l => l.StartsWith("started pid=", StringComparison.Ordinal)), Is.EqualTo(1), "the application was never restarted" + Environment.NewLine + watch.Output);
                Assert.That(lines, Has.None.Contains("CS7038"), watch.Output);
                Assert.That(lines, Has.None.Match(@"\b(error|ENC\d{4})\b|rude edit"), watch.Output);
            });
        }

        AssertExited(applicationId.Value);
    }

    /// <summary>
    /// The async method that waited for the first update and the enumeration that was between two items: each wrote its
    /// enter before the edit, continued in the edited <c>MoveNext</c> (its new values) and wrote no exit.
    /// </summary>
    private static void AssertInFlight(string output)
    {
        var lines = Lines(output);
        Assert.Multiple(() =>
        {
            Assert.That(lines, Does.Contain("waiting: waiting-2").And.Contains("step: step-a").And.Contains("step: step-2"), output);
            foreach (var (label, tag) in InFlight)
            {
                Assert.That(lines.Count(l => l.StartsWith(">:", StringComparison.Ordinal) && l.Contains($":{tag}:", StringComparison.Ordinal)), Is.EqualTo(1), $"{label}: one enter" + Environment.NewLine + output);
                Assert.That(lines.Count(l => l.StartsWith("<:", StringComparison.Ordinal) && l.Contains($":{tag}:", StringComparison.Ordinal)), Is.Zero, $"{label}: no exit" + Environment.NewLine + output);
            }
        });
    }

    /// <summary>Replaces the file by renaming a complete copy over it, so that dotnet watch never reads it half written.</summary>
    private static void ReplaceAtOnce(string path, string text)
    {
        // Beside the project folder (same file system), where dotnet watch does not look.
        var copy = Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(path))!, Path.GetFileName(path) + ".edit");
        File.WriteAllText(copy, text);
        File.Move(copy, path, overwrite: true);
    }

    private static bool NoEmitError(string output)
    {
        if (output.Contains("CS7038", StringComparison.Ordinal))
        {
            Assert.Fail("Hot Reload could not emit the edit (CS7038):" + Environment.NewLine + output);
        }

        return true;
    }

    private static int AppliedCount(string output) =>
        Lines(output).Count(l => l.StartsWith("dotnet watch", StringComparison.Ordinal)
                                 && Regex.IsMatch(l, "changes applied|hot reload succeeded", RegexOptions.IgnoreCase));

    /// <summary>
    /// Whether the method with <paramref name="tag"/> writes one enter and one exit tracer in each whole loop that
    /// starts after the line <paramref name="marker"/> (when <paramref name="expected"/>), or none in any.
    /// </summary>
    private static void AssertTracersAfter(string output, string marker, string tag, bool expected, string when)
    {
        var loops = LoopsAfter(Lines(output), marker);
        Assert.That(loops, Is.Not.Empty, $"{when}: a whole loop after `{marker}`" + Environment.NewLine + output);
        var counts = loops.Select(loop => (
                Enters: loop.Count(l => l.StartsWith(">:", StringComparison.Ordinal) && l.Contains($":{tag}:", StringComparison.Ordinal)),
                Exits: loop.Count(l => l.StartsWith("<:", StringComparison.Ordinal) && l.Contains($":{tag}:", StringComparison.Ordinal))))
            .Distinct()
            .ToArray();
        Assert.That(
            counts,
            Is.EqualTo(new[] { expected ? (1, 1) : (0, 0) }),
            $"{when}: {tag} writes {(expected ? "its enter and exit tracers in each loop" : "no tracers")}" + Environment.NewLine + output);
    }

    /// <summary>The application's whole loops (its `plain:` line to its `iterator:` line) that start after <paramref name="marker"/>.</summary>
    private static List<string[]> LoopsAfter(string[] lines, string marker)
    {
        var loops = new List<string[]>();
        var first = Array.IndexOf(lines, marker);
        if (first < 0)
        {
            return loops;
        }

        var loopStart = -1;
        for (var i = first + 1; i < lines.Length; i++)
        {
            if (lines[i].StartsWith("plain: ", StringComparison.Ordinal))
            {
                loopStart = i;
            }
            else if (loopStart >= 0 && lines[i].StartsWith("iterator: ", StringComparison.Ordinal))
            {
                loops.Add(lines[loopStart..(i + 1)]);
                loopStart = -1;
            }
        }

        return loops;
    }

    private static int ApplicationId(string output)
    {
        var match = Regex.Match(output, @"^started pid=(\d+)\r?$", RegexOptions.Multiline);
        Assert.That(match.Success, "the application printed its process id" + Environment.NewLine + output);
        return int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The application dotnet watch started is gone with it (a zombie waiting for its reaper counts as gone).</summary>
    private static void AssertExited(int processId)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (IsRunning(processId))
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"The application (process {processId}) outlived dotnet watch.");
            }

            Thread.Sleep(200);
        }
    }

    private static bool IsRunning(int processId)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{processId}/stat");
            // pid (comm) state ...: comm may contain spaces and parentheses, the state follows the last ')'.
            return stat[(stat.LastIndexOf(')') + 2)..][0] != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static string[] Lines(string text) =>
        text.Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
}
