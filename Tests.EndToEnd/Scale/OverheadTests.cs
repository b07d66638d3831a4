using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text;
using NUnit.Framework;
using Tests.Weaving;

namespace Tests.Scale;

/// <summary>
/// The workloads' time with the libraries woven whole, relative to the plain libraries, with tracing on and off, at
/// the default settings of the value, trivial-method and budget options and with every option on (trivial methods
/// woven, values written with ToString()). Recorded in the report; shared machines are too noisy for timing
/// assertions, so the test asserts only that every woven copy still computes what the plain one does. Explicit: the
/// copy without the ceiling runs the js workload hundreds of times longer than plain, about eight minutes for the
/// table. It measures what an application gets once its code is compiled, so it runs only against a Release build of
/// the runtime (a Debug build is not optimized and the JIT inlines none of it into woven methods) and with tiered
/// compilation off (with it, the workloads end before the thousands of methods of each copy reach tier 1, and the
/// ratio would be that of tier-0 code): <c>DOTNET_TieredCompilation=0 dotnet test Tests.EndToEnd -c Release --filter
/// FullyQualifiedName~OverheadTests --logger "console;verbosity=detailed"</c>, which prints the table as each
/// workload ends.
/// </summary>
[Explicit("about eight minutes of timing; run by name for the overhead table")]
[NonParallelizable]
public sealed class OverheadTests
{
    /// <summary>
    /// Broad selection with the defaults: trivial methods left out, values as type names, the default ceiling of
    /// 10000 spans per second for each library, none per method.
    /// </summary>
    public const string DefaultsConfig =
        "<SysdigTracers IncludeNamespaces='*' Arguments='true' ReturnValue='true' TraceConstructors='true' TraceProperties='true' />";

    static readonly Lazy<CopyLoadContext> Plain = new(CopyLoadContext.Unwoven);
    /// <summary>The defaults without the ceiling: what each traced call costs when every span is written.</summary>
    public const string UncappedConfig = "<SysdigTracers IncludeNamespaces='*' Arguments='true' ReturnValue='true' " +
        "TraceConstructors='true' TraceProperties='true' MaxAssemblySpansPerSecond='0' />";

    /// <summary>The namespace rule alone, every other option at the product's default (no values, no constructors or accessors).</summary>
    public const string RuleOnlyConfig = "<SysdigTracers IncludeNamespaces='*' />";

    static readonly Lazy<CopyLoadContext> Defaults = new(() => CopyLoadContext.Woven(DefaultsConfig));
    static readonly Lazy<CopyLoadContext> RuleOnly = new(() => CopyLoadContext.Woven(RuleOnlyConfig));
    static readonly Lazy<CopyLoadContext> Uncapped = new(() => CopyLoadContext.Woven(UncappedConfig));
    /// <summary>Every option on (trivial methods, values with ToString), at the default ceiling per library.</summary>
    public const string EveryOptionConfig =
        "<SysdigTracers IncludeNamespaces='*' Arguments='true' ReturnValue='true' TraceConstructors='true' TraceProperties='true' " +
        "TraceTrivialMethods='true' CallToString='true' />";

    static readonly Lazy<CopyLoadContext> EveryOption = new(() => CopyLoadContext.Woven(EveryOptionConfig));

    /// <summary>The defaults with a minimum code size: methods under 64 bytes of IL left out as well.</summary>
    public const string MinimumCodeSizeConfig =
        "<SysdigTracers IncludeNamespaces='*' Arguments='true' ReturnValue='true' TraceConstructors='true' TraceProperties='true' MinimumCodeSize='64' />";

    static readonly Lazy<CopyLoadContext> MinimumCodeSize = new(() => CopyLoadContext.Woven(MinimumCodeSizeConfig));
    static readonly SortedDictionary<string, string> Rows = new();

    const int Rounds = 3;
    /// <summary>How long each timing runs the workload, in seconds: one window of the ceilings on spans per second.</summary>
    const double MinimumSeconds = 1.0;

    /// <summary>The command that runs this table as it is meant to be measured.</summary>
    public const string Command =
        "DOTNET_TieredCompilation=0 dotnet test Tests.EndToEnd -c Release --filter FullyQualifiedName~OverheadTests --logger \"console;verbosity=detailed\"";

    [OneTimeSetUp]
    public void RequireOptimizedCode()
    {
        if (typeof(SysdigTracers.Tracer).Assembly.GetCustomAttribute<DebuggableAttribute>()?.IsJITOptimizerDisabled == true)
        {
            Assert.Inconclusive("The SysdigTracers runtime is a Debug build, which the JIT neither optimizes nor inlines into woven methods; run " + Command);
        }

        if (Environment.GetEnvironmentVariable("DOTNET_TieredCompilation") != "0")
        {
            Assert.Inconclusive("Tiered compilation is on, so the ratio would be that of tier-0 code; run " + Command);
        }
    }

    [TestCaseSource(typeof(ThirdPartyTests), nameof(ThirdPartyTests.Workloads))]
    public void Workload_time_relative_to_plain(string workload)
    {
        var items = ScaleSettings.Full ? Corpus.For(workload, ScaleSettings.GeneratedItems) : Corpus.Reduced(workload, ScaleSettings.GeneratedItems);

        // Each copy runs once before it is timed, so that JIT compilation is not part of the ratio; then the timings
        // are interleaved, Rounds times, and each keeps its fastest (noise only adds time).
        var runs = new (CopyLoadContext Context, bool Tracing)[]
        {
            (Plain.Value, true), (Defaults.Value, true), (Defaults.Value, false), (EveryOption.Value, true), (EveryOption.Value, false),
            (Uncapped.Value, true), (RuleOnly.Value, true), (RuleOnly.Value, false),
            (MinimumCodeSize.Value, true), (MinimumCodeSize.Value, false),
        };
        var expected = Plain.Value.RunWorkload(workload, items);
        foreach (var (context, tracing) in runs)
        {
            var actual = Run(context, workload, items, tracing);
            Assert.That(actual, Is.EqualTo(expected), $"{workload}: woven results differ (tracing {(tracing ? "on" : "off")})");
        }

        var best = new double[runs.Length];
        Array.Fill(best, double.MaxValue);
        for (var round = 0; round < Rounds; round++)
        {
            for (var r = 0; r < runs.Length; r++)
            {
                best[r] = Math.Min(best[r], Time(runs[r].Context, workload, items, runs[r].Tracing));
            }
        }

        var plain = best[0];
        var ratios = new List<double>();
        for (var r = 1; r < runs.Length; r++)
        {
            ratios.Add(best[r] / plain);
        }

        lock (Rows)
        {
            Rows[workload] = string.Create(CultureInfo.InvariantCulture,
                $"| {workload} | {items.Length} | {plain:F2} s | {ratios[0]:F2}x | {ratios[1]:F2}x | {ratios[2]:F2}x | {ratios[3]:F2}x | {ratios[4]:F2}x | {ratios[5]:F2}x | {ratios[6]:F2}x | {ratios[7]:F2}x | {ratios[8]:F2}x |");
            ScaleReport.Add("25 overhead", Table());
        }

        TestContext.Progress.WriteLine(Rows[workload]);
    }

    /// <summary>
    /// Seconds per run of the workload: the workload repeated until it has run for <see cref="MinimumSeconds"/>, after
    /// one run that is not timed. That run spends what is left of the copy's current window of spans per second, as
    /// in an application that has been running for a while, so that the timing pays for one window a second (the
    /// ceiling's spans written, the rest refused) and not for a whole window in its first moment.
    /// </summary>
    static double Time(CopyLoadContext context, string workload, string[] items, bool tracing)
    {
        Run(context, workload, items, tracing);
        var runs = 0;
        var clock = Stopwatch.StartNew();
        do
        {
            Run(context, workload, items, tracing);
            runs++;
        }
        while (clock.Elapsed.TotalSeconds < MinimumSeconds);

        return clock.Elapsed.TotalSeconds / runs;
    }

    static string[] Run(CopyLoadContext context, string workload, string[] items, bool tracing)
    {
        var enabled = SysdigTracers.Tracer.Enabled;
        SysdigTracers.Tracer.Enabled = tracing;
        try
        {
            return context.RunWorkload(workload, items);
        }
        finally
        {
            SysdigTracers.Tracer.Enabled = enabled;
        }
    }

    static string Table()
    {
        var text = new StringBuilder();
        text.Append("## Workload time, woven relative to plain\n\n")
            .Append("The same workloads with the libraries woven whole, relative to the plain libraries (each copy runs once ")
            .Append("before it is timed, then the fastest of 3 interleaved timings, each repeating the workload for a second, ")
            .Append("the length of a window of the ceilings, after one run that spends the current window; a Release build, tiered compilation off, each copy in a load context of its own that is not ")
            .Append("collectible; tracers go to /dev/null, nothing listens to ")
            .Append("the Activity sources). Defaults: `")
            .Append(DefaultsConfig).Append("` (each library at the default ceiling of 10000 spans per second); every option: `").Append(EveryOptionConfig)
            .Append("`; no ceiling: the defaults and `MaxAssemblySpansPerSecond='0'`; rule only: `").Append(RuleOnlyConfig)
            .Append("`, the product's defaults for everything else; minimum code size: `").Append(MinimumCodeSizeConfig)
            .Append("`. Tracing off: `Tracer.Enabled = false`, as with ")
            .Append("`SYSDIG_TRACERS=0`. Targets: tracing on at most 3x, tracing off at most 1.1x.\n\n")
            .Append("| workload | items | plain | defaults, tracing on | defaults, tracing off | every option, tracing on | ")
            .Append("every option, tracing off | no ceiling, tracing on | rule only, tracing on | rule only, tracing off | ")
            .Append("minimum code size, tracing on | minimum code size, tracing off |\n")
            .Append("|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        foreach (var row in Rows.Values)
        {
            text.Append(row).Append('\n');
        }

        return text.Append('\n').ToString();
    }
}
