using System;
using System.Linq;
using BenchmarkDotNet.Running;
using SysdigTracers.Benchmarks;

// dotnet run -c Release -- --quick              : Stopwatch harness, about a minute
// dotnet run -c Release -- --quick --listener   : the same, only the listener rows with sysdig off, 200 rounds, half a minute
// dotnet run -c Release -- --quick --ceiling    : the same, only the rows of the ceilings on spans per second, 200 rounds
// dotnet run -c Release -- --filter '*' --job short : BenchmarkDotNet
if (args.Contains("--quick"))
{
    QuickHarness.Run(args.Contains("--listener") ? "listener" : args.Contains("--ceiling") ? "ceiling" : "all");
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(TracerBenchmarks).Assembly).Run(args);
