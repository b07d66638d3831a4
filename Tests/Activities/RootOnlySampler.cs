using OpenTelemetry.Trace;

namespace Tests.Activities;

/// <summary>Samples the test's root Activity (<see cref="SpanCapture.Root"/>) and drops every other span.</summary>
public sealed class RootOnlySampler : Sampler
{
    public override SamplingResult ShouldSample(in SamplingParameters parameters) =>
        new(parameters.Name == "test root" ? SamplingDecision.RecordAndSample : SamplingDecision.Drop);
}
