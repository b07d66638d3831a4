using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;

namespace SysdigTracers.Benchmarks;

/// <summary>
/// Each category compares a traced call with its floor (the baseline, ratio 1.00): two plain P/Invoke write(2) calls
/// of the same bytes for the enabled cases, an un-woven empty call for the disabled case.
/// </summary>
[MemoryDiagnoser]
[CategoriesColumn]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
public class TracerBenchmarks
{
    [GlobalSetup]
    public void Setup() => Scenarios.Setup();

    [GlobalSetup(Targets = new[] { nameof(Disabled), nameof(EmptyCall) })]
    public void SetupDisabled()
    {
        Scenarios.Setup();
        Tracer.Enabled = false;
    }

    [BenchmarkCategory("1 no args"), Benchmark(Baseline = true, Description = "floor: 2x write(2)")]
    public void FloorNoArgs() => Scenarios.FloorNoArgs();

    [BenchmarkCategory("1 no args"), Benchmark(Description = "span, no args")]
    public void SpanNoArgs() => Scenarios.SpanNoArgs();

    [BenchmarkCategory("2 two args"), Benchmark(Baseline = true, Description = "floor: 2x write(2)")]
    public void FloorTwoArgs() => Scenarios.FloorTwoArgs();

    [BenchmarkCategory("2 two args"), Benchmark(Description = "span, int + string args")]
    public void SpanTwoArgs() => Scenarios.SpanTwoArgs(Scenarios.Id, Scenarios.Name);

    [BenchmarkCategory("3 disabled"), Benchmark(Baseline = true, Description = "empty call")]
    public void EmptyCall() => Scenarios.EmptyCall();

    [BenchmarkCategory("3 disabled"), Benchmark(Description = "woven call, tracing disabled")]
    public void Disabled() => Scenarios.Disabled();
}
