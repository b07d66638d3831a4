using System;
using System.Linq;
using BenchmarkDotNet.Running;
using SysdigTracers.Benchmarks;

// dotnet run -c Release -- --quick              : Stopwatch harness, a few seconds
// dotnet run -c Release -- --filter '*' --job short : BenchmarkDotNet
if (args.Contains("--quick"))
{
    QuickHarness.Run();
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(TracerBenchmarks).Assembly).Run(args);
