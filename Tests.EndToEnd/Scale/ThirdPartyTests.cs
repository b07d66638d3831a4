using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text;
using NUnit.Framework;
using Tests.Weaving;

namespace Tests.Scale;

/// <summary>
/// Issue 6, first part: real third-party libraries woven with every method selected behave exactly like the
/// originals on a corpus of valid and invalid inputs, and every woven method passes the JIT.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class ThirdPartyTests
{
    static readonly Lazy<CopyLoadContext> UnwovenContext = new(CopyLoadContext.Unwoven);
    static readonly Lazy<CopyLoadContext> WovenContext = new(CopyLoadContext.Woven);
    static readonly Dictionary<string, string> WorkloadRows = new();
    static readonly Dictionary<string, string> JitRows = new();

    public static IEnumerable<string> LibraryNames => ThirdPartyLibrary.All.Select(l => l.Name);

    public static IEnumerable<string> Workloads => new[] { "json", "yaml", "js" };

    [TestCaseSource(nameof(LibraryNames))]
    public void Weaving_selects_every_method_and_accounts_for_each(string name)
    {
        var outcome = ThirdPartyWeaving.Weave(ThirdPartyLibrary.All.Single(l => l.Name == name));
        RecordWeaving();
        Assert.Multiple(() =>
        {
            Assert.That(outcome.Errors, Is.Empty, "weaver errors");
            Assert.That(outcome.Unaccounted, Is.Empty, "methods neither woven nor skipped for a known reason");
            Assert.That(outcome.Woven, Is.GreaterThan(outcome.TotalMethods / 3), "woven methods");
            Assert.That(outcome.Warnings.Where(w => !w.Contains("SysdigTracers does not trace", StringComparison.Ordinal)), Is.Empty, "unexpected warnings");
        });
    }

    [TestCaseSource(nameof(Workloads))]
    public void Woven_copy_behaves_exactly_like_the_original(string workload)
    {
        var items = ScaleSettings.Full ? Corpus.For(workload, ScaleSettings.GeneratedItems) : Corpus.Reduced(workload, ScaleSettings.GeneratedItems);
        var clock = Stopwatch.StartNew();
        var expected = UnwovenContext.Value.RunWorkload(workload, items);
        var unwovenTime = clock.Elapsed;

        // No recording is open here: woven third-party code floods /dev/null with tracers, and nothing copies them.
        clock.Restart();
        var actual = WovenContext.Value.RunWorkload(workload, items);
        var wovenTime = clock.Elapsed;

        var differences = new List<string>();
        for (var i = 0; i < items.Length; i++)
        {
            if (!string.Equals(expected[i], actual[i], StringComparison.Ordinal))
            {
                differences.Add($"item {i} {Shorten(items[i])}:\n  original: {FirstDifferentLine(expected[i], actual[i])}\n  woven:    {FirstDifferentLine(actual[i], expected[i])}");
            }
        }

        var slowest = WovenContext.Value.LastMilliseconds.Select((ms, i) => (ms, i)).OrderByDescending(p => p.ms).Take(8)
            .Select(p => $"{p.ms:F0} ms #{p.i} {Shorten(items[p.i])}");
        TestContext.Progress.WriteLine($"{workload}: slowest woven items:\n  " + string.Join("\n  ", slowest));
        var operations = expected.Sum(e => e.Count(c => c == '\n'));
        var exceptions = expected.Sum(e => e.Split('\n').Count(line => line.Contains("] !", StringComparison.Ordinal)));
        lock (WorkloadRows)
        {
            WorkloadRows[workload] =
                $"| {workload} | {items.Length} | {operations} | {exceptions} | {differences.Count} | {unwovenTime.TotalSeconds:F1} s | {wovenTime.TotalSeconds:F1} s |";
            ScaleReport.Add("20 workload", WorkloadTable());
        }

        Assert.That(differences, Is.Empty, $"{differences.Count} of {items.Length} items differ:\n" + string.Join("\n", differences.Take(10)));
    }

    [TestCaseSource(nameof(LibraryNames))]
    public void Every_woven_method_passes_the_jit(string name)
    {
        var outcome = ThirdPartyWeaving.Weave(ThirdPartyLibrary.All.Single(l => l.Name == name));
        var assembly = WovenContext.Value.LoadFromAssemblyName(new AssemblyName(name));
        var result = JitAll(assembly);
        lock (JitRows)
        {
            JitRows[name] = $"| {name} | {outcome.Woven} | {result.Prepared} | {result.Instantiated} | {result.SkippedOpenGeneric} | {result.Failures.Count} |";
            ScaleReport.Add("30 jit", JitTable());
        }

        Assert.That(result.Failures, Is.Empty, string.Join("\n", result.Failures.Take(20)));
    }

    [Test]
    public void Woven_third_party_code_writes_tracers()
    {
        var assembly = WovenContext.Value.LoadFromAssemblyName(new AssemblyName("Newtonsoft.Json"));
        var convert = assembly.GetType("Newtonsoft.Json.JsonConvert", throwOnError: true)!;
        var serialize = convert.GetMethod("SerializeObject", new[] { typeof(object) })!;
        object? text;
        IReadOnlyList<string> tracers;
        using (var capture = SysdigTracers.TracerRecording.Start())
        {
            text = serialize.Invoke(null, new object?[] { new[] { 1, 2 } });
            tracers = capture.Tracers;
        }

        Assert.Multiple(() =>
        {
            Assert.That(text, Is.EqualTo("[1,2]"));
            Assert.That(tracers, Has.Some.StartsWith(">:t:Newtonsoft.Json.JsonConvert.SerializeObject:"));
            Assert.That(tracers, Has.Some.StartsWith("<:t:Newtonsoft.Json.JsonConvert.SerializeObject:return=[1\\,2]:"));
            Assert.That(tracers.Count(t => t[0] == '>'), Is.EqualTo(tracers.Count(t => t[0] == '<')), "every enter has its exit");
        });
    }

    static void RecordWeaving()
    {
        var text = new StringBuilder();
        text.Append("## Third-party weaving\n\n");
        text.Append("Configuration: `").Append(WeavingFixture.EverythingConfig).Append("`. Counts come from the metadata ")
            .Append("(woven = the method, or for an async method or iterator its state machine, reads a field of the generated tracer holder), not from the weaver's own selection code.\n\n");
        text.Append("| library | strong-named | methods | woven | skipped | errors | unaccounted | weave time |\n|---|---|---|---|---|---|---|---|\n");
        var woven = ThirdPartyLibrary.All.Select(l => ThirdPartyWeaving.Weave(l)).ToList();
        foreach (var o in woven)
        {
            text.Append(CultureInfo.InvariantCulture,
                $"| {o.Library.Name} | {(o.StrongNamed ? "yes" : "no")} | {o.TotalMethods} | {o.Woven} | {o.Skipped.Values.Sum()} | {o.Errors.Count} | {o.Unaccounted.Count} | {o.Duration.TotalSeconds:F1} s |\n");
        }

        text.Append("\nSkipped, by reason:\n\n| library | reason | methods |\n|---|---|---|\n");
        foreach (var o in woven)
        {
            foreach (var reason in o.Skipped.OrderByDescending(r => r.Value))
            {
                text.Append(CultureInfo.InvariantCulture, $"| {o.Library.Name} | {reason.Key} | {reason.Value} |\n");
            }
        }

        ScaleReport.Add("10 weaving", text.ToString());
    }

    static string WorkloadTable()
    {
        var text = new StringBuilder("## Woven against unwoven: same workload, separate load contexts\n\n");
        text.Append("Each item runs several operations (parse, serialize, round-trip, strict modes, ...); an item differs when any ")
            .Append("operation's result text, exception type or exception message differs.\n\n");
        text.Append("| workload | items | operations | operations that threw | differences | unwoven time | woven time |\n|---|---|---|---|---|---|---|\n");
        foreach (var row in WorkloadRows.OrderBy(r => r.Key, StringComparer.Ordinal))
        {
            text.Append(row.Value).Append('\n');
        }

        return text.ToString();
    }

    static string JitTable()
    {
        var text = new StringBuilder("## Every method of the woven assemblies JIT-compiled (`RuntimeHelpers.PrepareMethod`)\n\n");
        text.Append("Generic methods and methods of generic types are instantiated over `object` (or `int` where a `struct` ")
            .Append("constraint requires it); those whose constraints neither satisfies are left out (open generics cannot be compiled).\n\n");
        text.Append("| library | woven methods | prepared | of which generic instantiations | skipped: open generic | failures |\n|---|---|---|---|---|---|\n");
        foreach (var row in JitRows.OrderBy(r => r.Key, StringComparer.Ordinal))
        {
            text.Append(row.Value).Append('\n');
        }

        return text.ToString();
    }

    sealed record JitResult(int Prepared, int Instantiated, int SkippedOpenGeneric, List<string> Failures);

    static JitResult JitAll(Assembly assembly)
    {
        Type?[] types;
        try
        {
            types = assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException e)
        {
            types = e.Types;
        }

        var prepared = 0;
        var instantiated = 0;
        var skipped = 0;
        var failures = new List<string>();
        const BindingFlags all = BindingFlags.DeclaredOnly | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static;
        foreach (var type in types.Where(t => t != null).Select(t => t!))
        {
            Type closedType = type;
            if (type.IsGenericTypeDefinition)
            {
                if (Instantiate(type.GetGenericArguments()) is not { } typeArguments || !TryMake(() => type.MakeGenericType(typeArguments), out closedType))
                {
                    skipped += type.GetMethods(all).Length + type.GetConstructors(all).Length;
                    continue;
                }
            }

            foreach (var method in closedType.GetMethods(all).Cast<MethodBase>().Concat(closedType.GetConstructors(all)))
            {
                if (method.IsAbstract || (method.MethodImplementationFlags & MethodImplAttributes.CodeTypeMask) != MethodImplAttributes.IL ||
                    (method.Attributes & MethodAttributes.PinvokeImpl) != 0)
                {
                    continue;
                }

                var target = method;
                if (method.IsGenericMethodDefinition)
                {
                    var info = (MethodInfo)method;
                    if (Instantiate(info.GetGenericArguments()) is not { } methodArguments || !TryMake(() => info.MakeGenericMethod(methodArguments), out MethodInfo closed))
                    {
                        skipped++;
                        continue;
                    }

                    target = closed;
                }

                try
                {
                    if (type.IsGenericTypeDefinition || target != method)
                    {
                        RuntimeHelpers.PrepareMethod(target.MethodHandle, closedType.GetGenericArguments().Concat(target.IsGenericMethod ? target.GetGenericArguments() : Type.EmptyTypes).Select(t => t.TypeHandle).ToArray());
                        instantiated++;
                    }
                    else
                    {
                        RuntimeHelpers.PrepareMethod(target.MethodHandle);
                    }

                    prepared++;
                }
                catch (Exception e)
                {
                    failures.Add($"{type.FullName}::{method}: {e.GetType().Name}: {e.Message}");
                }
            }
        }

        return new JitResult(prepared, instantiated, skipped, failures);
    }

    /// <summary><c>object</c> for each parameter, <c>int</c> for those with a <c>struct</c> constraint; null if a constraint forbids both.</summary>
    static Type[]? Instantiate(Type[] parameters)
    {
        var arguments = new Type[parameters.Length];
        for (var i = 0; i < parameters.Length; i++)
        {
            var attributes = parameters[i].GenericParameterAttributes;
            var candidate = (attributes & GenericParameterAttributes.NotNullableValueTypeConstraint) != 0 ? typeof(int) : typeof(object);
            if (parameters[i].GetGenericParameterConstraints().Any(c => !c.IsAssignableFrom(candidate) && !c.ContainsGenericParameters))
            {
                return null;
            }

            if (parameters[i].GetGenericParameterConstraints().Any(c => c.ContainsGenericParameters))
            {
                return null;
            }

            arguments[i] = candidate;
        }

        return arguments;
    }

    static bool TryMake<T>(Func<T> make, out T made)
    {
        try
        {
            made = make();
            return true;
        }
        catch (ArgumentException)
        {
            made = default!;
            return false;
        }
    }

    static string Shorten(string text) =>
        "\"" + (text.Length > 80 ? text.Substring(0, 80) + "..." : text).Replace("\n", "\\n", StringComparison.Ordinal) + "\"";

    static string FirstDifferentLine(string mine, string other)
    {
        var a = mine.Split('\n');
        var b = other.Split('\n');
        for (var i = 0; i < a.Length; i++)
        {
            if (i >= b.Length || a[i] != b[i])
            {
                return a[i].Length > 400 ? a[i].Substring(0, 400) + "..." : a[i];
            }
        }

        return "(same lines, different count)";
    }
}
