using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using System.Xml.Linq;
using Fody;
using Mono.Cecil;
using SysdigTracers.Fody;
using Tests.Weaving;

namespace Tests.Scale;

/// <summary>One third-party assembly the harness weaves.</summary>
public sealed record ThirdPartyLibrary(string Name, string Workload)
{
    /// <summary>The libraries: a serializer, a parser, an interpreter and the interpreter's JavaScript parser.</summary>
    public static readonly ThirdPartyLibrary[] All =
    {
        new("Newtonsoft.Json", "json"),
        new("YamlDotNet", "yaml"),
        new("Jint", "js"),
        new("Acornima", "js"),
    };

    /// <summary>The unwoven dll, as NuGet put it in the test output folder.</summary>
    public string OriginalPath => Path.Combine(ScaleSettings.TestDirectory, Name + ".dll");
}

/// <summary>What weaving one third-party assembly did, counted independently of the weaver from the metadata.</summary>
public sealed class WeaveOutcome
{
    public required ThirdPartyLibrary Library { get; init; }

    public required string WovenPath { get; init; }

    public required int TotalMethods { get; init; }

    public required int Woven { get; init; }

    /// <summary>Why the other methods were not woven, with counts.</summary>
    public required IReadOnlyDictionary<string, int> Skipped { get; init; }

    public required IReadOnlyList<string> Warnings { get; init; }

    public required IReadOnlyList<string> Errors { get; init; }

    /// <summary>Methods neither woven nor skipped for a known reason (must be empty).</summary>
    public required IReadOnlyList<string> Unaccounted { get; init; }

    public required bool StrongNamed { get; init; }

    public required TimeSpan Duration { get; init; }
}

/// <summary>
/// Weaves the third-party assemblies in-process with FodyHelpers' <c>ExecuteTestRun</c> (the same path the shape
/// tests use), once per test run, each into <c>fodytemp/scale-NAME</c> next to the original.
/// </summary>
public static class ThirdPartyWeaving
{
    static readonly ConcurrentDictionary<string, Lazy<WeaveOutcome>> Outcomes = new();

    /// <summary>The copy of <paramref name="library"/> woven with every option, and what weaving it did.</summary>
    public static WeaveOutcome Weave(ThirdPartyLibrary library) => Weave(library, WeavingFixture.EverythingConfig);

    /// <summary>The copy of <paramref name="library"/> woven with <paramref name="config"/>, and what weaving it did.</summary>
    public static WeaveOutcome Weave(ThirdPartyLibrary library, string config) =>
        Outcomes.GetOrAdd(library.Name + "|" + config, _ => new Lazy<WeaveOutcome>(() => DoWeave(library, config))).Value;

    static WeaveOutcome DoWeave(ThirdPartyLibrary library, string config)
    {
        var started = DateTime.UtcNow;
        var weaver = new ModuleWeaver { Config = XElement.Parse(config) };
        // Each other configuration in a folder of its own, named by its hash.
        var folder = config == WeavingFixture.EverythingConfig
            ? "scale-" + library.Name
            : "scale-" + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(config)), 0, 4) + "-" + library.Name;
        var result = weaver.ExecuteTestRun(library.OriginalPath, runPeVerify: false, writeSymbols: false, folderName: folder);
        var duration = DateTime.UtcNow - started;

        var warnings = result.Warnings.Select(w => w.Text).ToList();
        var errors = result.Errors.Select(e => e.Text).ToList();

        using var original = ModuleDefinition.ReadModule(library.OriginalPath);
        using var woven = ModuleDefinition.ReadModule(result.AssemblyPath);
        var holder = woven.Types.SingleOrDefault(t => t.Name == "<SysdigTracers>MethodTracers");

        // Woven: the methods whose body reads a tracer field of the generated holder. Every other method of the
        // original is classified independently of the weaver's own selection code.
        bool ReadsTracer(MethodDefinition m) =>
            m.HasBody && m.Body.Instructions.Any(i => i.Operand is FieldReference f && f.DeclaringType.FullName == holder?.FullName);

        // An async method or iterator is woven in its state machine (MoveNext), not in its kickoff method.
        bool StateMachineReadsTracer(MethodDefinition m) =>
            m.CustomAttributes
                .Where(a => a.AttributeType.Name.EndsWith("StateMachineAttribute", StringComparison.Ordinal))
                .Select(a => (a.ConstructorArguments.FirstOrDefault().Value as TypeReference)?.Resolve())
                .Any(t => t != null && t.Methods.Any(ReadsTracer));

        var wovenMethods = new HashSet<string>(woven.GetTypes()
            .Where(t => t != holder)
            .SelectMany(t => t.Methods)
            .Where(m => ReadsTracer(m) || StateMachineReadsTracer(m))
            .Where(m => !InCompilerGeneratedType(m.DeclaringType))
            .Select(m => m.FullName));
        var skipped = new Dictionary<string, int>();
        var unaccounted = new List<string>();
        var total = 0;
        foreach (var type in original.GetTypes())
        {
            foreach (var method in type.Methods)
            {
                total++;
                if (wovenMethods.Contains(method.FullName))
                {
                    continue;
                }

                string? reason = null;
                if (type.Name == "<Module>")
                {
                    reason = "module initializer type <Module>";
                }
                else if (!method.HasBody)
                {
                    reason = method.IsAbstract ? "no body: abstract or interface member" :
                        method.IsRuntime ? "no body: delegate member implemented by the runtime" : "no body: extern";
                }
                else if (InCompilerGeneratedType(type))
                {
                    reason = "compiler-generated type (closures, fixed buffers, state machines: those of woven async methods and iterators are woven with them)";
                }
                else if (method.Name.StartsWith("<", StringComparison.Ordinal) || (IsCompilerGenerated(method) && !method.IsConstructor && !method.IsGetter && !method.IsSetter))
                {
                    reason = "compiler-generated method (lambda, local function, record member, field-like event accessor)";
                }
                else if ((method.IsGetter || method.IsSetter) && type.Properties.Any(p => (p.GetMethod == method || p.SetMethod == method) && IsCompilerGenerated(p)))
                {
                    reason = "accessor of a compiler-generated property (a record's EqualityContract)";
                }
                else if (method.CustomAttributes.Any(a => a.AttributeType.Name is "AsyncStateMachineAttribute" or "IteratorStateMachineAttribute" or "AsyncIteratorStateMachineAttribute") &&
                         warnings.Any(w => w.Contains("'" + method.FullName + "'", StringComparison.Ordinal)))
                {
                    reason = "async method or iterator whose state machine does not have the C# compiler's layout (weaver warning)";
                }
                else if (!config.Contains("TraceTrivialMethods='true'", StringComparison.Ordinal) &&
                         SysdigTracers.Fody.Selection.TrivialMethods.IsTrivial(method))
                {
                    reason = "trivial method (TraceTrivialMethods is off)";
                }

                if (reason != null)
                {
                    skipped[reason] = skipped.GetValueOrDefault(reason) + 1;
                }
                else
                {
                    unaccounted.Add(method.FullName);
                }
            }
        }

        var wovenCount = wovenMethods.Count;

        return new WeaveOutcome
        {
            Library = library,
            WovenPath = result.AssemblyPath,
            TotalMethods = total,
            Woven = wovenCount,
            Skipped = skipped,
            Warnings = warnings,
            Errors = errors,
            Unaccounted = unaccounted,
            StrongNamed = original.Assembly.Name.HasPublicKey,
            Duration = duration,
        };
    }

    static bool InCompilerGeneratedType(TypeDefinition type)
    {
        for (var t = type; t != null; t = t.DeclaringType)
        {
            if (IsCompilerGenerated(t) || (t.Name.StartsWith("<", StringComparison.Ordinal) && !t.Name.Contains(">F", StringComparison.Ordinal)))
            {
                return true;
            }
        }

        return false;
    }

    static bool IsCompilerGenerated(Mono.Cecil.ICustomAttributeProvider provider) =>
        provider.HasCustomAttributes &&
        provider.CustomAttributes.Any(a => a.AttributeType.FullName == "System.Runtime.CompilerServices.CompilerGeneratedAttribute");
}

/// <summary>
/// A load context holding one copy (woven or not) of the third-party assemblies and the workload harness; everything
/// else (the framework, the SysdigTracers runtime) comes from the default context.
/// </summary>
/// <remarks>
/// Not collectible, as an application's own load context is not: the JIT reaches the statics of a collectible
/// assembly through a helper call and does not tier its methods, so a woven copy there would pay a call at every read
/// of its tracer fields that no application pays, and the overhead it measures would be that context's.
/// </remarks>
public sealed class CopyLoadContext : AssemblyLoadContext
{
    readonly IReadOnlyDictionary<string, string> paths;

    public CopyLoadContext(string name, IReadOnlyDictionary<string, string> paths)
        : base(name, isCollectible: false) => this.paths = paths;

    protected override Assembly? Load(AssemblyName assemblyName) =>
        assemblyName.Name != null && paths.TryGetValue(assemblyName.Name, out var path) ? LoadFromAssemblyPath(path) : null;

    /// <summary>The unwoven copy: the dlls of the test output folder.</summary>
    public static CopyLoadContext Unwoven() =>
        new("unwoven", ThirdPartyLibrary.All.ToDictionary(l => l.Name, l => l.OriginalPath).With("ThirdPartyHarness", HarnessPath));

    /// <summary>The copy of every library woven with every option.</summary>
    public static CopyLoadContext Woven() => Woven(WeavingFixture.EverythingConfig);

    /// <summary>The copy of every library woven with <paramref name="config"/>.</summary>
    public static CopyLoadContext Woven(string config) =>
        new("woven", ThirdPartyLibrary.All.ToDictionary(l => l.Name, l => ThirdPartyWeaving.Weave(l, config).WovenPath).With("ThirdPartyHarness", HarnessPath));

    static string HarnessPath => Path.Combine(ScaleSettings.TestDirectory, "ThirdPartyHarness.dll");

    /// <summary>How long each item of the last <see cref="RunWorkload"/> took, in milliseconds.</summary>
    public double[] LastMilliseconds { get; private set; } = Array.Empty<double>();

    /// <summary>Runs the harness's workload for <paramref name="workload"/> over <paramref name="items"/> in this context.</summary>
    public string[] RunWorkload(string workload, string[] items)
    {
        var harness = LoadFromAssemblyName(new AssemblyName("ThirdPartyHarness"));
        var run = harness.GetType("ThirdPartyHarness.Workloads", throwOnError: true)!.GetMethod("Run", BindingFlags.Public | BindingFlags.Static)!;
        var results = (string[])run.Invoke(null, BindingFlags.DoNotWrapExceptions, null, new object[] { workload, items }, null)!;
        LastMilliseconds = (double[])harness.GetType("ThirdPartyHarness.Workloads", throwOnError: true)!.GetProperty("Milliseconds")!.GetValue(null)!;
        return results;
    }
}

static class DictionaryExtensions
{
    public static Dictionary<string, string> With(this Dictionary<string, string> dictionary, string key, string value)
    {
        dictionary[key] = value;
        return dictionary;
    }
}
