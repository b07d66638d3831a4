namespace SysdigTracers.Tool.Input;

/// <summary>A tracer with what sysdig knows of its write: when, by which process and thread, and where it was read.</summary>
/// <param name="Time">Wall-clock nanoseconds since 1970-01-01 UTC.</param>
/// <param name="Line">The line of the input it was read from (1-based).</param>
internal sealed record TracerEvent(long Time, long Pid, long Tid, Tracer Tracer, long Line);
