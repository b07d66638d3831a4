using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Threading.Tasks;
using System.Xml.Linq;
using Fody;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using NUnit.Framework;
using SysdigTracers;
using SysdigTracers.Fody;
using Tests.Runtime;
using Tests.Weaving;

namespace Tests.Async;

/// <summary>Which build of the async shapes (<c>AssemblyToProcess/Async</c>) a test runs against.</summary>
public enum ShapesBuild
{
    /// <summary>AssemblyToProcess as the solution built it (Debug under a plain <c>dotnet test</c>).</summary>
    Project,

    /// <summary>The same sources compiled by Roslyn without optimisation: class state machines.</summary>
    RoslynDebug,

    /// <summary>The same sources compiled by Roslyn with optimisation: struct state machines for async methods.</summary>
    RoslynRelease,
}

/// <summary>
/// Weaves each build of the async shapes once (woven with an empty configuration: only <c>[Traced]</c> applies)
/// and keeps its unwoven twin, so every test can compare the two.
/// </summary>
public static class AsyncFixture
{
    /// <summary>The namespace of the shapes, which is also the start of their tags.</summary>
    public const string Namespace = "AssemblyToProcess.Async";

    static readonly ConcurrentDictionary<ShapesBuild, Lazy<(TestResult Woven, Assembly Unwoven)>> Builds = new();

    /// <summary>The weaving run of <paramref name="build"/> (assembly, warnings, errors).</summary>
    public static TestResult Run(ShapesBuild build) => Get(build).Woven;

    /// <summary>The woven shapes.</summary>
    public static Shapes Woven(ShapesBuild build) => new(Get(build).Woven.Assembly);

    /// <summary>The same shapes, not woven.</summary>
    public static Shapes Unwoven(ShapesBuild build) => new(Get(build).Unwoven);

    /// <summary>The path of the unwoven shapes of <paramref name="build"/> (with its PDB next to it).</summary>
    public static string UnwovenPath(ShapesBuild build) => Get(build).Unwoven.Location;

    static (TestResult Woven, Assembly Unwoven) Get(ShapesBuild build) =>
        Builds.GetOrAdd(build, b => new Lazy<(TestResult, Assembly)>(() => Create(b))).Value;

    static (TestResult, Assembly) Create(ShapesBuild build)
    {
        var directory = TestContext.CurrentContext.TestDirectory;
        if (build == ShapesBuild.Project)
        {
            var path = Path.Combine(directory, "AssemblyToProcess.dll");
            return (Weave(path, "async-project"), typeof(AssemblyToProcess.Async.AsyncMethods).Assembly);
        }

        var name = "AsyncShapes." + build;
        var dll = Compile(name, build == ShapesBuild.RoslynRelease ? OptimizationLevel.Release : OptimizationLevel.Debug);
        return (Weave(dll, "async-" + build), Assembly.LoadFile(dll));
    }

    /// <summary>
    /// Weaves <paramref name="path"/> with values written through their <c>ToString()</c> (only <c>[Traced]</c> selects)
    /// and every span written (no ceiling on the assembly's spans per second: a test makes ten thousand calls) into its
    /// own fodytemp folder (with symbols).
    /// Deliberately not through <c>WeavingFixture</c>: its static constructor installs the weaving tests' tracer
    /// observer, which must not be installed before the runtime tests that reset the observer have run.
    /// </summary>
    public static TestResult Weave(string path, string folderName)
    {
        var weaver = new ModuleWeaver { Config = XElement.Parse("<SysdigTracers CallToString='true' MaxAssemblySpansPerSecond='0' />") };
        return weaver.ExecuteTestRun(path, runPeVerify: false, writeSymbols: true, folderName: folderName);
    }

    /// <summary>Compiles the shape sources copied next to the tests into <c>async-shapes/NAME.dll</c> (with a PDB).</summary>
    static string Compile(string assemblyName, OptimizationLevel optimization)
    {
        var testDirectory = TestContext.CurrentContext.TestDirectory;
        var sources = Directory.GetFiles(Path.Combine(testDirectory, "AsyncShapes"), "*.cs").OrderBy(p => p, StringComparer.Ordinal).ToList();
        Assert.That(sources, Is.Not.Empty, "the async shape sources are copied next to the tests");
        var options = new CSharpParseOptions(LanguageVersion.Latest);
        var trees = sources.Select(p => CSharpSyntaxTree.ParseText(File.ReadAllText(p), options, p, System.Text.Encoding.UTF8)).ToList();
        var directory = Path.Combine(testDirectory, "async-shapes");
        Directory.CreateDirectory(directory);
        var dll = Path.Combine(directory, assemblyName + ".dll");
        var result = SnippetCompiler.EmitToFile(
            dll,
            trees,
            new CSharpCompilationOptions(
                OutputKind.DynamicallyLinkedLibrary,
                optimizationLevel: optimization,
                nullableContextOptions: NullableContextOptions.Enable,
                deterministic: true));
        // CS1701/CS1702 (the runtime targets an older System.Runtime) are suppressed by the SDK as well.
        var problems = result.Diagnostics.Where(d => d.Severity >= DiagnosticSeverity.Warning && d.Id is not ("CS1701" or "CS1702")).ToList();
        Assert.That(problems.Select(p => p.ToString()), Is.Empty, "the shapes compile without warnings");
        Assert.That(result.Success);

        return dll;
    }
}

/// <summary>Reflection access to one copy (woven or not) of the async shapes.</summary>
public sealed class Shapes
{
    const BindingFlags All = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance |
                             BindingFlags.DoNotWrapExceptions;

    public Shapes(Assembly assembly) => Assembly = assembly;

    public Assembly Assembly { get; }

    public Type Type(string name) => Assembly.GetType(AsyncFixture.Namespace + "." + name, throwOnError: true)!;

    /// <summary>Calls a static method of a shape type (a generic one with <paramref name="typeArguments"/>).</summary>
    public T Call<T>(string type, string method, params object?[] args) => Call<T>(Type(type), method, null, args);

    public T CallGeneric<T>(string type, string method, Type[] typeArguments, params object?[] args) =>
        Call<T>(Type(type), method, typeArguments, args);

    public static T Call<T>(Type type, string name, Type[]? typeArguments, object?[] args)
    {
        var method = type.GetMethods(All).Single(m => m.Name == name && m.GetParameters().Length == args.Length);
        if (typeArguments != null)
        {
            method = method.MakeGenericMethod(typeArguments);
        }

        return (T)method.Invoke(null, All, null, args, null)!;
    }
}

/// <summary>Spans checks over captured tracers.</summary>
public static class Spans
{
    /// <summary>The complete tracers of the shapes (other tests' tracers left out), in the order written.</summary>
    public static List<ParsedTracer> Of(TracerRecording capture)
    {
        var parsed = capture.Parsed().Where(t => t.TagPath.StartsWith(AsyncFixture.Namespace + ".", StringComparison.Ordinal)).ToList();
        foreach (var tracer in parsed)
        {
            Assert.That(tracer.Status, Is.EqualTo(TracerParseStatus.Complete), tracer.Reason);
            Assert.That(tracer.Warnings, Is.Empty);
        }

        return parsed;
    }

    /// <summary>A tracer as comparable text with the id replaced: <c>&gt; Tag.Path a=1,b=2</c>.</summary>
    public static string Describe(ParsedTracer tracer) =>
        (tracer.Direction == TracerDirection.Enter ? "> " : "< ") + tracer.TagPath.Substring(AsyncFixture.Namespace.Length + 1) +
        (tracer.Args.Count == 0 ? "" : " " + string.Join(",", tracer.Args.Select(a => a.Key + "=" + a.Value)));

    public static List<string> Describe(IEnumerable<ParsedTracer> tracers) => tracers.Select(Describe).ToList();

    /// <summary>
    /// Checks the span rules and returns the spans (enter, exit or null while open) by id, in the order they opened:
    /// every id is numeric, positive, without a leading zero; one enter per id, at most one exit, after the enter,
    /// with the same tags.
    /// </summary>
    public static List<(ParsedTracer Enter, ParsedTracer? Exit)> Pair(IReadOnlyList<ParsedTracer> tracers)
    {
        var spans = new List<(ParsedTracer Enter, ParsedTracer? Exit)>();
        var byId = new Dictionary<long, int>();
        foreach (var tracer in tracers)
        {
            Assert.That(tracer.Id, Is.Not.Null, $"numeric id in {tracer}");
            Assert.That(tracer.Id, Is.GreaterThan(0), $"positive id in {tracer}");
            Assert.That(tracer.IdText, Does.Not.StartWith("0"), $"no leading zero in {tracer}");
            var id = tracer.Id!.Value;
            if (tracer.Direction == TracerDirection.Enter)
            {
                Assert.That(byId.ContainsKey(id), Is.False, $"id {id} is used by one enter only");
                byId[id] = spans.Count;
                spans.Add((tracer, null));
            }
            else
            {
                Assert.That(byId.TryGetValue(id, out var index), $"the exit {tracer} follows its enter");
                Assert.That(spans[index].Exit, Is.Null, $"one exit for id {id}");
                Assert.That(tracer.TagPath, Is.EqualTo(spans[index].Enter.TagPath), "exit and enter have the same tags");
                spans[index] = (spans[index].Enter, tracer);
            }
        }

        return spans;
    }

    /// <summary>Checks that every span is closed and returns the spans.</summary>
    public static List<(ParsedTracer Enter, ParsedTracer Exit)> Closed(IReadOnlyList<ParsedTracer> tracers)
    {
        var spans = Pair(tracers);
        foreach (var span in spans)
        {
            Assert.That(span.Exit, Is.Not.Null, $"the span of {span.Enter} is closed");
        }

        return spans.Select(s => (s.Enter, s.Exit!)).ToList();
    }
}

/// <summary>Base of the tests that run once per build of the shapes, with a tracer capture per test.</summary>
public abstract class AsyncShapeTests
{
    protected AsyncShapeTests(ShapesBuild build) => Build = build;

    protected ShapesBuild Build { get; }

    protected Shapes Woven => AsyncFixture.Woven(Build);

    protected Shapes Unwoven => AsyncFixture.Unwoven(Build);

    protected TracerRecording Capture { get; private set; } = null!;

    /// <summary>The complete tracers of the shapes written since the test started.</summary>
    protected List<ParsedTracer> Tracers => Spans.Of(Capture);

    [SetUp]
    public void StartCapture()
    {
        _ = AsyncFixture.Run(Build);
        Capture = TracerRecording.Start();
    }

    [TearDown]
    public void StopCapture() => Capture?.Dispose();

    /// <summary>
    /// Runs the same scenario on the unwoven copy (it must write no tracer) and then on the woven one: both must
    /// give the same result or exception. The tracers captured afterwards are the woven run's.
    /// </summary>
    protected async Task<string> Compare(Func<Shapes, Task<object?>> scenario)
    {
        Capture.Clear();
        var unwoven = await Outcome(() => scenario(Unwoven));
        Assert.That(Tracers, Is.Empty, "the unwoven code writes no tracers");
        Capture.Clear();
        var woven = await Outcome(() => scenario(Woven));
        Assert.That(woven, Is.EqualTo(unwoven), "the woven code behaves as the unwoven code");
        return woven;
    }

    /// <summary>A task that completes a little later, on another thread.</summary>
    protected static async Task Later()
    {
        await Task.Delay(5);
    }

    /// <summary>A task that completes with <paramref name="value"/> a little later, on another thread.</summary>
    protected static async Task<T> Later<T>(T value)
    {
        await Task.Delay(5);
        return value;
    }

    static string Describe(object? value) => value switch
    {
        null => "null",
        string text => "\"" + text + "\"",
        _ => value.ToString() ?? "",
    };

    static async Task<string> Outcome(Func<Task<object?>> scenario)
    {
        try
        {
            return "result " + Describe(await scenario());
        }
        catch (Exception e)
        {
            return "exception " + e.GetType().FullName + ": " + e.Message;
        }
    }
}
