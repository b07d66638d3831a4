using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using NUnit.Framework;
using Tests.Package;
using Tests.Weaving;

namespace Tests.Fidelity;

/// <summary>
/// A small woven method is inlined by the JIT where the same method unwoven is (Tier1 with dynamic PGO, docs/inlining.md),
/// and inlined it still behaves as the plain method and writes what the woven contract says: its enter and exit with
/// tracing on, the exception that ends it named on the exit exactly once, a caller's filter run before its exit (the
/// first pass before the second), and the same stack trace as the plain method inlined. Run in a process of its own.
/// </summary>
public class InlinedMethodTests
{
    const string Source = """
        using System;
        using System.Collections.Concurrent;
        using System.Diagnostics.Tracing;
        using System.Runtime.CompilerServices;
        using System.Threading;
        using SysdigTracers;

        public static class Target
        {
            [Traced]
            public static int Woven(int[] a, int i) => Twice(a[i]) + 1;

            public static int Plain(int[] a, int i) => Twice(a[i]) + 1;

            [MethodImpl(MethodImplOptions.NoInlining)]
            static int Twice(int v) => v * 2;
        }

        public static class Program
        {
            [MethodImpl(MethodImplOptions.NoInlining)]
            static long WovenLoop(int[] a, int n, int at) { long s = 0; for (var i = 0; i < n; i++) { s += Target.Woven(a, i == at ? a.Length : 0); } return s; }

            [MethodImpl(MethodImplOptions.NoInlining)]
            static long PlainLoop(int[] a, int n, int at) { long s = 0; for (var i = 0; i < n; i++) { s += Target.Plain(a, i == at ? a.Length : 0); } return s; }

            static bool Filter(Exception e)
            {
                using (Tracer.Start("filter")) { }
                return e is IndexOutOfRangeException;
            }

            static string TopFrame(Func<long> run)
            {
                try { run(); return "no exception"; }
                catch (Exception e) when (Filter(e)) { return e.StackTrace!.Split('\n')[0].Trim(); }
            }

            public static int Main()
            {
                var a = new int[] { 1 };
                using var decisions = new Decisions();
                Tracer.Enabled = false;
                for (var round = 0; round < 120 && !(decisions.Inlined("WovenLoop", "Woven") && decisions.Inlined("PlainLoop", "Plain")); round++)
                {
                    for (var w = 0; w < 1000; w++) { WovenLoop(a, 100, -1); PlainLoop(a, 100, -1); }
                    Thread.Sleep(250);
                }

                Console.WriteLine("woven inlined: " + decisions.Of("WovenLoop", "Woven"));
                Console.WriteLine("plain inlined: " + decisions.Of("PlainLoop", "Plain"));
                Tracer.Enabled = true;
                using var recording = TracerRecording.Start();
                Console.WriteLine("woven top frame: " + TopFrame(() => WovenLoop(a, 3, 1)));
                Console.WriteLine("plain top frame: " + TopFrame(() => PlainLoop(a, 3, 1)));
                foreach (var tracer in recording.Tracers) { Console.WriteLine("tracer " + tracer); }
                return 0;
            }
        }

        sealed class Decisions : EventListener
        {
            readonly ConcurrentDictionary<string, string> last = new();

            public bool Inlined(string caller, string callee) => Of(caller, callee) == "yes";

            public string Of(string caller, string callee) => last.TryGetValue(caller + "/" + callee, out var d) ? d : "no event";

            protected override void OnEventSourceCreated(EventSource source)
            {
                if (source.Name == "Microsoft-Windows-DotNETRuntime") { EnableEvents(source, EventLevel.Verbose, (EventKeywords)0x1000); }
            }

            protected override void OnEventWritten(EventWrittenEventArgs e)
            {
                if (e.EventName is not ("MethodJitInliningSucceeded" or "MethodJitInliningFailed") || e.PayloadNames == null) { return; }
                string P(string n) { var i = e.PayloadNames.IndexOf(n); return i < 0 ? "" : e.Payload?[i]?.ToString() ?? ""; }
                last[P("MethodBeingCompiledName") + "/" + P("InlineeName")] = e.EventName == "MethodJitInliningSucceeded" ? "yes" : "no: " + P("FailReason");
            }
        }
        """;

    [Test]
    public void InlinedWovenMethodKeepsTheContract()
    {
        var directory = Path.Combine(TestContext.CurrentContext.TestDirectory, "inlined-method");
        Directory.CreateDirectory(directory);
        var plain = Path.Combine(directory, "Inlined.dll");
        File.WriteAllBytes(plain, SnippetCompiler.Compile(Source, OutputKind.ConsoleApplication, out var pdb, "Inlined", "Inlined.cs", OptimizationLevel.Release));
        File.WriteAllBytes(Path.ChangeExtension(plain, ".pdb"), pdb);
        var result = WeavingFixture.WeaveFile(plain, "woven", "<SysdigTracers />");
        Assert.That(result.Errors, Is.Empty);
        FaultShapePrograms.PrepareToRun(result.AssemblyPath);

        var output = DotNetCli.RunChecked(Path.GetDirectoryName(result.AssemblyPath)!, new Dictionary<string, string?>(), result.AssemblyPath).Output;
        var lines = output.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0).ToList();

        Assert.That(lines, Does.Contain("plain inlined: yes"), output);
        Assert.That(lines, Does.Contain("woven inlined: yes"), output);
        var top = lines.Where(l => l.Contains(" top frame: ", StringComparison.Ordinal)).Select(l => l[(l.IndexOf(':') + 2)..].Replace("WovenLoop", "Loop").Replace("PlainLoop", "Loop").Split(" in ")[0]).ToList();
        Assert.That(top, Has.Count.EqualTo(2));
        Assert.That(top[0], Does.StartWith("at Program.Loop("), "the inlined method has no frame of its own, as the plain one");
        Assert.That(top[0], Is.EqualTo(top[1]), "woven and plain stack traces");
        var tag = "Target.Woven";
        Assert.That(lines.Where(l => l.StartsWith("tracer ", StringComparison.Ordinal)).Select(l => l["tracer ".Length..]), Is.EqualTo(new[]
        {
            ">:t:" + tag + "::", "<:t:" + tag + "::",
            ">:t:" + tag + "::",
            ">:t:filter::", "<:t:filter::",
            "<:t:" + tag + ":exception=System.IndexOutOfRangeException:",
            ">:t:filter::", "<:t:filter::",
        }));
    }
}
