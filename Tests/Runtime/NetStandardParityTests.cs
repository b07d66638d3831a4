using System;
using System.Collections.Generic;
using System.IO;
using System.Reflection;
using System.Runtime.Loader;
using System.Text;
using NUnit.Framework;
using SysdigTracers;

namespace Tests.Runtime;

/// <summary>
/// The tests run on net10.0 and bind the net8.0 asset; this one loads the netstandard2.0 build of the runtime (which has
/// its own formatting code) into an AssemblyLoadContext of its own and checks that it writes what net8.0 writes.
/// </summary>
[NonParallelizable]
public class NetStandardParityTests
{
    private static readonly string NetStandardPath = Path.GetFullPath(Path.Combine(
        Path.GetDirectoryName(typeof(NetStandardParityTests).Assembly.Location)!, "..", "..", "..", "..", "SysdigTracers", "bin",
        new DirectoryInfo(Path.GetDirectoryName(typeof(NetStandardParityTests).Assembly.Location)!).Parent!.Name,
        "netstandard2.0", "SysdigTracers.dll"));

    /// <summary>What a ToString calls: traced code, through one of the two runtimes.</summary>
    private static Action? s_inner;

    [Test]
    public void The_netstandard_build_formats_values_like_the_net8_build()
    {
        Assert.That(File.Exists(NetStandardPath), "build the runtime first (dotnet build SysdigTracers.sln): " + NetStandardPath);
        var context = new AssemblyLoadContext("netstandard2.0 runtime", isCollectible: true);
        try
        {
            using var other = new Runtime(context.LoadFromAssemblyPath(NetStandardPath));
            Assert.That(other.Assembly, Is.Not.SameAs(typeof(Tracer).Assembly));
            using var current = new Runtime(typeof(Tracer).Assembly);

            foreach (Runtime runtime in new[] { current, other })
            {
                Runtime r = runtime;
                r.Format(1.5);
                r.Format(-0.0);
                r.Format(double.NaN);
                r.Format(double.NegativeInfinity);
                r.Format(0.1 + 0.2);
                r.Format(0.1f);
                r.Format(float.MaxValue);
                r.Format(decimal.MinValue);
                r.Format(12.50m);
                r.Format(Guid.Empty);
                r.Format(new DateTime(2024, 1, 2, 3, 4, 5, DateTimeKind.Local));
                r.Format(new DateTime(2024, 1, 2, 3, 4, 5, DateTimeKind.Unspecified));
                r.Format(new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.FromHours(-3)));
                r.Format(TimeSpan.FromTicks(-123456789));
                r.Format((double?)(0.1 + 0.2));
                r.Format((DateTime?)new DateTime(2024, 1, 2));
                r.Format(new DateOnly(2026, 12, 31));
                r.Format(new TimeOnly(23, 4, 5, 678));
                r.Format((DateOnly?)new DateOnly(2026, 1, 2));
                r.Format<object>(new TimeOnly(1, 2));
                r.Format<object>(3.25);
                r.Format('\ud800');
                r.Format("\r");
                r.Format((nint)(-1));
                r.Format(ulong.MaxValue);
                r.Format(DayOfWeek.Monday);
                r.Format((DayOfWeek)42);
                r.Format(AttributeTargets.Class | AttributeTargets.Method);

                // Values formatted by traced code that a formatter-called ToString runs.
                s_inner = () =>
                {
                    r.Format(2.5);
                    r.Format(0.5f);
                    r.Format(1.25m);
                    r.Format(Guid.Empty);
                    r.Format(new DateTime(2024, 1, 2, 0, 0, 0, DateTimeKind.Utc));
                    r.Format(new DateTimeOffset(2024, 1, 2, 0, 0, 0, TimeSpan.Zero));
                    r.Format(TimeSpan.FromSeconds(1));
                    r.Format(7);
                    r.Format("s");
                    r.Format(new Version(1, 2));
                };
                r.Format(new CallsTracedCode());
            }

            Assert.That(other.Written, Is.EqualTo(current.Written));
        }
        finally
        {
            s_inner = null;
            context.Unload();
        }
    }

    private sealed class CallsTracedCode
    {
        public override string ToString()
        {
            s_inner?.Invoke();
            return "outer";
        }
    }

    /// <summary>One copy of the runtime, driven through its public span API by reflection.</summary>
    private sealed class Runtime : IDisposable
    {
        private readonly MethodInfo _begin;
        private readonly MethodInfo _arg;
        private readonly MethodInfo _start;
        private readonly MethodInfo _dispose;
        private readonly IDisposable _recording;

        public Runtime(Assembly assembly)
        {
            Assembly = assembly;
            Type tracer = assembly.GetType("SysdigTracers.Tracer", throwOnError: true)!;
            Type builder = assembly.GetType("SysdigTracers.TracerSpanBuilder", throwOnError: true)!;
            Type span = assembly.GetType("SysdigTracers.TracerSpan", throwOnError: true)!;
            _begin = tracer.GetMethod("Begin", new[] { typeof(string) })!;
            _arg = builder.GetMethod("Arg")!;
            _start = builder.GetMethod("Start")!;
            _dispose = span.GetMethod("Dispose")!;
            tracer.GetProperty("Enabled")!.SetValue(null, true);
            _recording = (IDisposable)assembly.GetType("SysdigTracers.TracerRecording", throwOnError: true)!
                .GetMethod("Start")!.Invoke(null, null)!;
        }

        public Assembly Assembly { get; }

        /// <summary>What this copy of the runtime wrote, through its own TracerRecording.</summary>
        public IReadOnlyList<string> Written => (IReadOnlyList<string>)_recording.GetType().GetProperty("Tracers")!.GetValue(_recording)!;

        public void Dispose() => _recording.Dispose();

        public void Format<T>(T value)
        {
            object builder = _begin.Invoke(null, new object[] { "t" })!;
            builder = _arg.MakeGenericMethod(typeof(T)).Invoke(builder, new object?[] { "v", value })!;
            object span = _start.Invoke(builder, null)!;
            _dispose.Invoke(span, null);
        }
    }
}
