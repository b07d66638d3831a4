using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;

namespace SysdigTracers.Benchmarks;

/// <summary>
/// A plain Stopwatch loop measuring the same comparisons in a few seconds: rounds of every scenario are interleaved so
/// that machine noise hits them alike, and each scenario's best round is reported (the least disturbed one).
/// </summary>
public static class QuickHarness
{
    private const int Rounds = 15;
    private const int CallsPerRound = 200_000;

    private enum Report
    {
        Ratio,
        Delta,
    }

    public static void Run()
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
            ("woven, listener, sysdig on (both sinks)", Scenarios.ListenedWovenNoArgs, true),                           // 14
            ("hand-written StartActivity + 2 SetTag + the 3 code tags", () => Scenarios.HandWrittenTwoArgsWithCodeTags(Scenarios.Id, Scenarios.Name), false), // 15
            ("span, no args, no listener, under a ceiling", Scenarios.BudgetedNoArgs, true),                            // 16
            ("sysdig off, no listener, under a ceiling", Scenarios.BudgetedNoArgs, false),                              // 17
        };
        var comparisons = new (int Baseline, int Measured, Report Report, string Target)[]
        {
            (0, 2, Report.Ratio, "<= 1.15x"),
            (1, 2, Report.Delta, "<= +2 ns"),
            (3, 5, Report.Ratio, "<= 1.30x"),
            (4, 5, Report.Delta, "<= +2 ns"),
            (6, 8, Report.Delta, "<= +2 ns"),
            (7, 8, Report.Delta, "<= +2 ns"),
            (9, 10, Report.Ratio, "<= 1.10x"),
            (11, 10, Report.Ratio, "(same tags)"),
            (12, 13, Report.Ratio, "<= 1.10x"),
            (15, 13, Report.Ratio, "(same tags)"),
            (2, 16, Report.Delta, "(the budget's clock and count)"),
            (8, 17, Report.Delta, "<= +0.5 ns (nothing to write: the budget is not asked)"),
        };

        var best = new double[scenarios.Length];
        var allocated = new long[scenarios.Length];
        Array.Fill(best, double.MaxValue);

        // Warm up: tier-1 JIT of every path.
        for (int s = 0; s < scenarios.Length; s++)
        {
            Tracer.Enabled = scenarios[s].Sysdig;
            Measure(scenarios[s].Call, 50_000);
        }

        for (int round = 0; round < Rounds; round++)
        {
            for (int s = 0; s < scenarios.Length; s++)
            {
                Tracer.Enabled = scenarios[s].Sysdig;
                long before = GC.GetAllocatedBytesForCurrentThread();
                double ns = Measure(scenarios[s].Call, CallsPerRound);
                allocated[s] += GC.GetAllocatedBytesForCurrentThread() - before;
                best[s] = Math.Min(best[s], ns);
            }
        }

        Tracer.Enabled = true;
        var rows = new List<string>
        {
            $"SysdigTracers quick harness: {Rounds} rounds x {CallsPerRound:N0} calls, best round per scenario, " +
            $".NET {Environment.Version}, {Environment.ProcessorCount} cores",
            string.Empty,
            "| Scenario | sysdig | ns/call | allocated B/call |",
            "| --- | --- | ---: | ---: |",
        };
        for (int s = 0; s < scenarios.Length; s++)
        {
            double perCall = (double)allocated[s] / (Rounds * (double)CallsPerRound);
            rows.Add(string.Create(CultureInfo.InvariantCulture, $"| {scenarios[s].Name} | {(scenarios[s].Sysdig ? "on" : "off")} | {best[s]:0.00} | {perCall:0.###} |"));
        }

        rows.Add(string.Empty);
        rows.Add("| Measured | against | result | target |");
        rows.Add("| --- | --- | ---: | --- |");
        foreach (var (baseline, measured, report, target) in comparisons)
        {
            string result = report == Report.Ratio
                ? (best[measured] / best[baseline]).ToString("0.00", CultureInfo.InvariantCulture) + "x"
                : (best[measured] - best[baseline]).ToString("+0.00;-0.00", CultureInfo.InvariantCulture) + " ns";
            rows.Add($"| {scenarios[measured].Name} | {scenarios[baseline].Name} | {result} | {target} |");
        }

        double sum = best[0] + best[10];
        rows.Add(string.Create(
            CultureInfo.InvariantCulture,
            $"| {scenarios[14].Name} | floor + woven listener, sysdig off ({sum:0.00} ns) | {best[14] / sum:0.00}x | <= 1.00x (the sum) |"));
        Console.WriteLine(string.Join(Environment.NewLine, rows));
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
