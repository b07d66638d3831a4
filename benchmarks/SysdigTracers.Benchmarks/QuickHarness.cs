using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;

namespace SysdigTracers.Benchmarks;

/// <summary>
/// A plain Stopwatch loop measuring the same ratios in a few seconds: rounds of every scenario are interleaved so that
/// machine noise hits them alike, and each scenario's best round is reported (the least disturbed one).
/// </summary>
public static class QuickHarness
{
    private const int Rounds = 15;
    private const int CallsPerRound = 200_000;

    public static void Run()
    {
        Scenarios.Setup();
        var scenarios = new (string Name, Action Call, bool Enabled)[]
        {
            ("floor: 2x write(2), no-args bytes", Scenarios.FloorNoArgs, true),
            ("span, no args", Scenarios.SpanNoArgs, true),
            ("floor: 2x write(2), two-args bytes", Scenarios.FloorTwoArgs, true),
            ("span, int + string args", () => Scenarios.SpanTwoArgs(Scenarios.Id, Scenarios.Name), true),
            ("empty call", Scenarios.EmptyCall, false),
            ("woven call, tracing disabled", Scenarios.Disabled, false),
        };

        var best = new double[scenarios.Length];
        var allocated = new long[scenarios.Length];
        Array.Fill(best, double.MaxValue);

        // Warm up: tier-1 JIT of every path.
        for (int s = 0; s < scenarios.Length; s++)
        {
            Tracer.Enabled = scenarios[s].Enabled;
            Measure(scenarios[s].Call, 50_000);
        }

        for (int round = 0; round < Rounds; round++)
        {
            for (int s = 0; s < scenarios.Length; s++)
            {
                Tracer.Enabled = scenarios[s].Enabled;
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
            "| Scenario | ns/call | vs floor | allocated B/call |",
            "| --- | ---: | ---: | ---: |",
        };
        for (int s = 0; s < scenarios.Length; s++)
        {
            int floor = s - (s % 2);
            string ratio = s % 2 == 0 ? "1.00" : (best[s] / best[floor]).ToString("0.00", CultureInfo.InvariantCulture) + "x";
            if (s >= 4 && s % 2 == 1)
            {
                ratio = "+" + (best[s] - best[floor]).ToString("0.00", CultureInfo.InvariantCulture) + " ns";
            }

            double perCall = (double)allocated[s] / (Rounds * (double)CallsPerRound);
            rows.Add(string.Create(CultureInfo.InvariantCulture, $"| {scenarios[s].Name} | {best[s]:0.00} | {ratio} | {perCall:0.###} |"));
        }

        rows.Add(string.Empty);
        rows.Add("Targets: span no args <= 1.15x floor; two args <= 1.30x floor; 0 B/call; disabled <= +2 ns over an empty call.");
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
