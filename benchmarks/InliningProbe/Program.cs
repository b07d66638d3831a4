using System;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Threading;
using InliningProbe;
using SysdigTracers;

// Which woven methods the JIT inlines into a loop, and what each costs per call against the same method unwoven
// (docs/inlining.md). Argument `on`: tracing on (tracers go to /dev/null); otherwise tracing is off.
Tracer.Enabled = args.Contains("on");
using var decisions = new InlineDecisions();
const int Rounds = 15;
int calls = Tracer.Enabled ? 200_000 : 20_000_000;
(string Name, Func<int, long> Loop)[] cases =
{
    ("Plain.Getter", Loops.Run<Calls.PlainGetter>), ("Woven.Getter", Loops.Run<Calls.WovenGetter>),
    ("Plain.Call", Loops.Run<Calls.PlainCall>), ("Woven.Call", Loops.Run<Calls.WovenCall>),
    ("Plain.Length", Loops.Run<Calls.PlainLength>), ("Woven.Length", Loops.Run<Calls.WovenLength>),
    ("Plain.TwoArgs", Loops.Run<Calls.PlainTwoArgs>), ("Woven.TwoArgs", Loops.Run<Calls.WovenTwoArgs>),
    ("Plain.Void", Loops.Run<Calls.PlainVoid>), ("Woven.Void", Loops.Run<Calls.WovenVoid>),
    ("Plain.Return", Loops.Run<Calls.PlainReturn>), ("Woven.Return", Loops.Run<Calls.WovenReturn>),
    ("Shapes.TryFinally", Loops.Run<Calls.TryFinally>), ("Shapes.FilterRethrow", Loops.Run<Calls.FilterRethrow>),
    ("Shapes.FilterThrow", Loops.Run<Calls.FilterThrow>), ("Shapes.Catch", Loops.Run<Calls.Catch>),
};

// Enough short calls for tiered compilation to reach Tier1 with profile data, with pauses for the background JIT.
for (var warm = 0; warm < 3; warm++)
{
    foreach (var (_, loop) in cases)
    {
        for (var w = 0; w < 2000; w++)
        {
            loop(100);
        }
    }

    Thread.Sleep(1000);
}

var times = cases.Select(_ => new double[Rounds]).ToArray();
for (var r = 0; r < Rounds; r++)
{
    for (var k = 0; k < cases.Length; k++)
    {
        var watch = Stopwatch.StartNew();
        cases[k].Loop(calls);
        times[k][r] = watch.Elapsed.TotalMilliseconds * 1e6 / calls;
    }
}

double LowerQuartile(double[] values) => values.Order().ElementAt(values.Length / 4);

Console.WriteLine(
    $"Inlining probe: tracing {(Tracer.Enabled ? "on" : "off")}, {Rounds} interleaved rounds of {calls:N0} calls, lower quartile, " +
    $".NET {Environment.Version}, DOTNET_TieredCompilation={Environment.GetEnvironmentVariable("DOTNET_TieredCompilation") ?? "(default)"}, " +
    $"DOTNET_TieredPGO={Environment.GetEnvironmentVariable("DOTNET_TieredPGO") ?? "(default)"}");
Console.WriteLine();
Console.WriteLine("| method | inlined into the loop | ns/call | vs plain |");
Console.WriteLine("| --- | --- | ---: | ---: |");
for (var k = 0; k < cases.Length; k++)
{
    var (name, _) = cases[k];
    var ns = LowerQuartile(times[k]);
    var ratio = name.StartsWith("Woven.", StringComparison.Ordinal)
        ? (ns / LowerQuartile(times[k - 1])).ToString("0.00", CultureInfo.InvariantCulture) + "x"
        : "";
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {name} | {decisions.Of("InliningProbe." + name)} | {ns:0.000} | {ratio} |"));
}
