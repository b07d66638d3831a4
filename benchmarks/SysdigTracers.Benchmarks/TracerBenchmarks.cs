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

    [GlobalSetup(Targets = new[] { nameof(Disabled), nameof(EmptyCall), nameof(BridgeDisabled) })]
    public void SetupDisabled()
    {
        Scenarios.Setup();
        Tracer.Enabled = false;
    }

    [GlobalSetup(Targets = new[]
    {
        nameof(HandWritten), nameof(ListenedWoven), nameof(HandWrittenWithCodeTags), nameof(ListenedBare),
        nameof(HandWrittenTwoArgs), nameof(ListenedWovenTwoArgs), nameof(HandWrittenTwoArgsWithCodeTags), nameof(ListenedBareTwoArgs),
    })]
    public void SetupListened()
    {
        Scenarios.Setup();
        Scenarios.Listen();
        Tracer.Enabled = false;
    }

    [GlobalSetup(Targets = new[] { nameof(BothSinks), nameof(HandWrittenBothSinks), nameof(BothSinksTwoArgs) })]
    public void SetupBothSinks()
    {
        Scenarios.Setup();
        Scenarios.Listen();
    }

    [BenchmarkCategory("1 no args"), Benchmark(Baseline = true, Description = "floor: 2x write(2)")]
    public void FloorNoArgs() => Scenarios.FloorNoArgs();

    [BenchmarkCategory("1 no args"), Benchmark(Description = "span, no args, before the bridge")]
    public void SpanNoArgs() => Scenarios.SpanNoArgs();

    [BenchmarkCategory("2 two args"), Benchmark(Baseline = true, Description = "floor: 2x write(2)")]
    public void FloorTwoArgs() => Scenarios.FloorTwoArgs();

    [BenchmarkCategory("2 two args"), Benchmark(Description = "span, int + string args, before the bridge")]
    public void SpanTwoArgs() => Scenarios.SpanTwoArgs(Scenarios.Id, Scenarios.Name);

    [BenchmarkCategory("3 disabled"), Benchmark(Baseline = true, Description = "empty call")]
    public void EmptyCall() => Scenarios.EmptyCall();

    [BenchmarkCategory("3 disabled"), Benchmark(Description = "woven call, tracing disabled, before the bridge")]
    public void Disabled() => Scenarios.Disabled();

    [BenchmarkCategory("3 disabled"), Benchmark(Description = "woven call, tracing disabled, no listener")]
    public void BridgeDisabled() => Scenarios.BridgeNoArgs();

    [BenchmarkCategory("1 no args"), Benchmark(Description = "span, no args, no listener")]
    public void BridgeNoArgs() => Scenarios.BridgeNoArgs();

    [BenchmarkCategory("2 two args"), Benchmark(Description = "span, int + string args, no listener")]
    public void BridgeTwoArgs() => Scenarios.BridgeTwoArgs(Scenarios.Id, Scenarios.Name);

    [BenchmarkCategory("4 listener"), Benchmark(Baseline = true, Description = "hand-written StartActivity")]
    public void HandWritten() => Scenarios.HandWritten();

    [BenchmarkCategory("4 listener"), Benchmark(Description = "hand-written + the 3 code tags")]
    public void HandWrittenWithCodeTags() => Scenarios.HandWrittenWithCodeTags();

    [BenchmarkCategory("4 listener"), Benchmark(Description = "woven, sysdig off")]
    public void ListenedWoven() => Scenarios.ListenedWovenNoArgs();

    [BenchmarkCategory("5 listener, two args"), Benchmark(Baseline = true, Description = "hand-written + 2 SetTag")]
    public void HandWrittenTwoArgs() => Scenarios.HandWrittenTwoArgs(Scenarios.Id, Scenarios.Name);

    [BenchmarkCategory("5 listener, two args"), Benchmark(Description = "woven, int + string args, sysdig off")]
    public void ListenedWovenTwoArgs() => Scenarios.ListenedWovenTwoArgs(Scenarios.Id, Scenarios.Name);

    [BenchmarkCategory("4 listener"), Benchmark(Description = "woven, CodeAttributes=false, sysdig off")]
    public void ListenedBare() => Scenarios.ListenedBareNoArgs();

    [BenchmarkCategory("5 listener, two args"), Benchmark(Description = "hand-written + 2 SetTag + the 3 code tags")]
    public void HandWrittenTwoArgsWithCodeTags() => Scenarios.HandWrittenTwoArgsWithCodeTags(Scenarios.Id, Scenarios.Name);

    [BenchmarkCategory("5 listener, two args"), Benchmark(Description = "woven, CodeAttributes=false, int + string args, sysdig off")]
    public void ListenedBareTwoArgs() => Scenarios.ListenedBareTwoArgs(Scenarios.Id, Scenarios.Name);

    [BenchmarkCategory("6 both sinks"), Benchmark(Baseline = true, Description = "hand-written: StartActivity + the 3 code tags + 2x write(2)")]
    public void HandWrittenBothSinks() => Scenarios.HandWrittenBothSinks();

    [BenchmarkCategory("6 both sinks"), Benchmark(Description = "woven, no args, listener, sysdig on")]
    public void BothSinks() => Scenarios.ListenedWovenNoArgs();

    [BenchmarkCategory("6 both sinks"), Benchmark(Description = "woven, int + string args, listener, sysdig on")]
    public void BothSinksTwoArgs() => Scenarios.ListenedWovenTwoArgs(Scenarios.Id, Scenarios.Name);
}
