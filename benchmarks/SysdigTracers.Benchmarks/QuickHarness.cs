using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;

namespace SysdigTracers.Benchmarks;

/// <summary>
/// A plain Stopwatch loop measuring the same comparisons in about a minute: many short rounds of every scenario are
/// interleaved so that machine noise hits them alike, and each scenario is reported by the lower quartile of its rounds
/// (the system calls' cost moves a lot on a shared machine; the lower quartile is stable where the best round is luck).
/// </summary>
public static class QuickHarness
{
    private const int CallsPerRound = 50_000;

    private enum Report
    {
        Ratio,
        Delta,
    }

    /// <summary>Runs the scenarios and prints their table.</summary>
    /// <param name="subset">
    /// <c>listener</c>: only the rows with a listener and sysdig off; <c>ceiling</c>: only the rows of the ceilings on
    /// spans per second and their baselines; anything else: every row. The comparisons among the rows run follow.
    /// </param>
    public static void Run(string subset)
    {
        Scenarios.Setup();
        Scenarios.Listen();
        var scenarios = new (string Name, Action Call, bool Sysdig)[]
        {
            ("floor: 2x write(2), no-args bytes", Scenarios.FloorNoArgs, true),                                        // 0
            ("span, no args, before the bridge", Scenarios.SpanNoArgs, true),                                           // 1
            ("span, no args, no listener", Scenarios.BridgeNoArgs, true),                                               // 2
            ("floor: 2x write(2), two-args bytes", Scenarios.FloorTwoArgs, true),                                       // 3
            ("span, int + string args, before the bridge", () => Scenarios.SpanTwoArgs(Scenarios.Id, Scenarios.Name), true), // 4
            ("span, int + string args, no listener", () => Scenarios.BridgeTwoArgs(Scenarios.Id, Scenarios.Name), true),     // 5
            ("empty call", Scenarios.EmptyCall, false),                                                                 // 6
            ("sysdig off, before the bridge", Scenarios.Disabled, false),                                               // 7
            ("sysdig off, no listener", Scenarios.BridgeNoArgs, false),                                                 // 8
            ("hand-written StartActivity", Scenarios.HandWritten, false),                                               // 9
            ("woven, listener, sysdig off", Scenarios.ListenedWovenNoArgs, false),                                      // 10
            ("hand-written StartActivity + the 3 code tags", Scenarios.HandWrittenWithCodeTags, false),                 // 11
            ("hand-written StartActivity + 2 SetTag", () => Scenarios.HandWrittenTwoArgs(Scenarios.Id, Scenarios.Name), false), // 12
            ("woven, int + string args, listener, sysdig off", () => Scenarios.ListenedWovenTwoArgs(Scenarios.Id, Scenarios.Name), false), // 13
            ("hand-written StartActivity + 2 SetTag + the 3 code tags", () => Scenarios.HandWrittenTwoArgsWithCodeTags(Scenarios.Id, Scenarios.Name), false), // 14
            ("woven, CodeAttributes=false, listener, sysdig off", Scenarios.ListenedBareNoArgs, false),                // 15
            ("woven, CodeAttributes=false, int + string args, listener, sysdig off", () => Scenarios.ListenedBareTwoArgs(Scenarios.Id, Scenarios.Name), false), // 16
            ("int + string args, sysdig off, no listener", () => Scenarios.BridgeTwoArgs(Scenarios.Id, Scenarios.Name), false), // 17
            ("woven, listener, sysdig on (both sinks)", Scenarios.ListenedWovenNoArgs, true),                           // 18
            ("woven, int + string args, listener, sysdig on (both sinks)", () => Scenarios.ListenedWovenTwoArgs(Scenarios.Id, Scenarios.Name), true), // 19
            ("hand-written both sinks: StartActivity + the 3 code tags + 2x write(2)", Scenarios.HandWrittenBothSinks, true), // 20
            ("span, no args, no listener, under a ceiling", Scenarios.BudgetedNoArgs, true),                            // 21
            ("sysdig off, no listener, under a ceiling", Scenarios.BudgetedNoArgs, false),                              // 22
            ("woven, sysdig on, assembly ceiling reached (every call refused)", Scenarios.RefusedNoArgs, true),        // 23
            ("span, no args, no listener, under an assembly ceiling", Scenarios.AssemblyBudgetedNoArgs, true),         // 24
            ("StartActivity(ref on) alone, no ceiling", () => Scenarios.DecideWithoutCeiling(), false),                // 25
            ("StartActivity(ref on) alone, under an assembly ceiling", () => Scenarios.DecideUnderCeiling(), false),   // 26
            ("StartActivity(ref on) alone, assembly ceiling reached", () => Scenarios.DecideRefused(), false),         // 27
        };
        var comparisons = new (int Baseline, int Measured, Report Report, string Target)[]
        {
            (0, 2, Report.Ratio, "<= 1.10x"),
            (1, 2, Report.Delta, "<= +2 ns"),
            (3, 5, Report.Ratio, "<= 1.25x"),
            (4, 5, Report.Delta, "<= +2 ns"),
            (6, 8, Report.Delta, "(informative)"),
            (7, 8, Report.Delta, "<= +2 ns"),
            (9, 15, Report.Ratio, "<= 1.10x"),
            (9, 10, Report.Ratio, "(3 more tags)"),
            (11, 10, Report.Ratio, "<= 1.10x (same tags)"),
            (12, 16, Report.Ratio, "<= 1.10x"),
            (12, 13, Report.Ratio, "(3 more tags)"),
            (14, 13, Report.Ratio, "<= 1.10x (same tags)"),
            (20, 18, Report.Ratio, "(same work by hand)"),
            (2, 21, Report.Delta, "(the budget's decrement)"),
            (8, 22, Report.Delta, "<= +0.5 ns (nothing to write: the budget is not asked)"),
            (6, 23, Report.Ratio, "(refused, against plain)"),
            (8, 23, Report.Delta, "(refused, against tracing off)"),
            (2, 24, Report.Delta, "(the assembly budget's decrement)"),
            (25, 26, Report.Delta, "(Admit when not limiting)"),
            (25, 27, Report.Delta, "(a refusal, against no ceiling)"),
        };

        // The listener rows with sysdig off: no system call, so a run of them alone takes seconds, and five times the
        // rounds make their lower quartiles steadier.
        // The ceiling rows compare calls of a few nanoseconds, whose lower quartile needs more rounds too.
        int[] ceilingRows = { 2, 6, 8, 21, 22, 23, 24, 25, 26, 27 };
        int rounds = subset is "listener" or "ceiling" ? 200 : 40;
        bool[] selected = scenarios.Select((scenario, s) => subset switch
        {
            "listener" => s >= 9 && s <= 16,
            "ceiling" => ceilingRows.Contains(s),
            _ => true,
        }).ToArray();
        var samples = new List<double>[scenarios.Length];
        var allocated = new long[scenarios.Length];
        for (int s = 0; s < scenarios.Length; s++)
        {
            samples[s] = new List<double>(rounds);
        }

        // Warm up: tier-1 JIT of every path.
        for (int s = 0; s < scenarios.Length; s++)
        {
            if (selected[s])
            {
                Tracer.Enabled = scenarios[s].Sysdig;
                Measure(scenarios[s].Call, 50_000);
            }
        }

        for (int round = 0; round < rounds; round++)
        {
            for (int s = 0; s < scenarios.Length; s++)
            {
                if (!selected[s])
                {
                    continue;
                }

                Tracer.Enabled = scenarios[s].Sysdig;
                long before = GC.GetAllocatedBytesForCurrentThread();
                samples[s].Add(Measure(scenarios[s].Call, CallsPerRound));
                allocated[s] += GC.GetAllocatedBytesForCurrentThread() - before;
            }
        }

        Tracer.Enabled = true;
        double[] q1 = samples.Select(s => s.Count > 0 ? LowerQuartile(s) : double.NaN).ToArray();
        var rows = new List<string>
        {
            $"SysdigTracers quick harness: {rounds} interleaved rounds x {CallsPerRound:N0} calls, lower quartile and best " +
            $"round per scenario, .NET {Environment.Version}, {Environment.ProcessorCount} cores",
            string.Empty,
            "| Scenario | sysdig | ns/call (lower quartile) | best round | allocated B/call |",
            "| --- | --- | ---: | ---: | ---: |",
        };
        for (int s = 0; s < scenarios.Length; s++)
        {
            if (!selected[s])
            {
                continue;
            }

            double perCall = (double)allocated[s] / (rounds * (double)CallsPerRound);
            rows.Add(string.Create(
                CultureInfo.InvariantCulture,
                $"| {scenarios[s].Name} | {(scenarios[s].Sysdig ? "on" : "off")} | {q1[s]:0.00} | {samples[s].Min():0.00} | {perCall:0.###} |"));
        }

        rows.Add(string.Empty);
        rows.Add("| Measured | against | result (lower quartiles) | target |");
        rows.Add("| --- | --- | ---: | --- |");
        foreach (var (baseline, measured, report, target) in comparisons.Where(c => selected[c.Baseline] && selected[c.Measured]))
        {
            string result = report == Report.Ratio
                ? (q1[measured] / q1[baseline]).ToString("0.00", CultureInfo.InvariantCulture) + "x"
                : (q1[measured] - q1[baseline]).ToString("+0.00;-0.00", CultureInfo.InvariantCulture) + " ns";
            rows.Add($"| {scenarios[measured].Name} | {scenarios[baseline].Name} | {result} | {target} |");
        }

        // Both sinks against the sum of the two: the sysdig-only call plus the listener-only call, less the call that
        // has neither (counted in both).
        // The hand-written control shows what running both on one call costs over the sum when nothing is woven.
        foreach (var (both, sysdigOnly, listenerOnly, neither) in new[] { (18, 2, 10, 8), (19, 5, 13, 17), (20, 0, 11, 6) }.Where(sum => selected[sum.Item1]))
        {
            double sum = q1[sysdigOnly] + q1[listenerOnly] - q1[neither];
            rows.Add(string.Create(
                CultureInfo.InvariantCulture,
                $"| {scenarios[both].Name} | sum: ({scenarios[sysdigOnly].Name}) + ({scenarios[listenerOnly].Name}) - ({scenarios[neither].Name}) = {sum:0.00} ns | {q1[both] / sum:0.00}x | <= 1.00x (the sum) |"));
        }

        Console.WriteLine(string.Join(Environment.NewLine, rows));
    }

    private static double LowerQuartile(List<double> values)
    {
        var sorted = values.OrderBy(v => v).ToList();
        return sorted[(sorted.Count - 1) / 4];
    }

    private static double Measure(Action call, int calls)
    {
        var stopwatch = Stopwatch.StartNew();
        for (int i = 0; i < calls; i++)
        {
            call();
        }

        return stopwatch.Elapsed.TotalMilliseconds * 1_000_000.0 / calls;
    }
}
