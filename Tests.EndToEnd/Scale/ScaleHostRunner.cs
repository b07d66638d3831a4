using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.RegularExpressions;
using NUnit.Framework;
using Tests.Runtime;
using Tests.Weaving;

namespace Tests.Scale;

/// <summary>One write(2) from an strace log taken with <c>-y -xx</c>: descriptor, the path strace resolved, bytes.</summary>
public sealed record TracedWrite(int Thread, int Fd, string Path, byte[] Data, int Count, long Result, string ResultText)
{
    /// <summary>Whether the write failed with EBADF (nothing was written).</summary>
    public bool BadDescriptor => Result == -1 && ResultText.Contains("EBADF", StringComparison.Ordinal);
}

/// <summary>What one run of the ScaleHost child process did.</summary>
public sealed record HostRun(int ExitCode, string Output, string Error, IReadOnlyDictionary<string, double> Stats, IReadOnlyList<TracedWrite> Writes);

/// <summary>Weaves the load target once and runs the ScaleHost child process on it, optionally under strace.</summary>
public static class ScaleHostRunner
{
    /// <summary>The traced methods the host's threads call: nested calls, a string argument full of separators, a
    /// rare planned exception, no allocation otherwise.</summary>
    const string LoadSource = """
        namespace Load
        {
            public static class Work
            {
                public static int Run(int i, string name)
                {
                    var total = Step(i & 1023, name) + Nested(3, i);
                    if (i % 10000 == 9999)
                    {
                        try { Fail(i); } catch (System.InvalidOperationException) { total++; }
                    }

                    return Label(i) == null ? -1 : total;
                }

                static int Step(int value, string name) => value + name.Length;
                static int Nested(int depth, int value) => depth == 0 ? value & 7 : Nested(depth - 1, value) + 1;
                static string Label(int i) => (i & 1) == 0 ? "even" : "odd";
                static void Fail(int i) => throw new System.InvalidOperationException("planned");
            }
        }
        """;

    static readonly Lazy<string> WovenLoad = new(() =>
    {
        var path = SnippetCompiler.CompileToFile(LoadSource, "ScaleLoad");
        var result = WeavingFixture.WeaveFile(path, "scale-load", WeavingFixture.EverythingConfig);
        Assert.That(result.Errors, Is.Empty);
        return result.AssemblyPath;
    });

    static string HostPath
    {
        get
        {
            var path = typeof(ScaleHostRunner).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "ScaleHostPath").Value!;
            Assert.That(File.Exists(path), Is.True, "ScaleHost is built with the tests: " + path);
            return System.IO.Path.GetFullPath(path);
        }
    }

    static string Dotnet =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    /// <summary>
    /// Runs the host; under strace, every write(2) of every thread and child is returned. The tracing switches of the
    /// test process are not passed on; <paramref name="environment"/> sets some.
    /// </summary>
    public static HostRun Run(
        string mode, int threads, double seconds, bool strace, string? path = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var hostArgs = new List<string> { HostPath, WovenLoad.Value, mode, threads.ToString(CultureInfo.InvariantCulture), seconds.ToString(CultureInfo.InvariantCulture) };
        if (path != null)
        {
            hostArgs.Add(path);
        }

        string file;
        var arguments = new List<string>();
        var log = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "sysdig-scale-" + Guid.NewGuid().ToString("N") + ".txt");
        if (strace)
        {
            file = ProbeRunner.StracePath;
            arguments.AddRange(new[] { "-f", "-qq", "-xx", "-y", "-s", "8192", "--seccomp-bpf", "-e", "trace=write", "-o", log, Dotnet });
        }
        else
        {
            file = Dotnet;
        }

        arguments.AddRange(hostArgs);
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        arguments.ForEach(start.ArgumentList.Add);
        foreach (var variable in new[] { "SYSDIG_TRACERS", "SYSDIG_TRACERS_ECHO", "SYSDIG_TRACERS_MAX_SPANS_PER_SECOND", "SYSDIG_TRACERS_MAX_ASSEMBLY_SPANS_PER_SECOND" })
        {
            start.Environment.Remove(variable);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        try
        {
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromSeconds(seconds + 120)))
            {
                process.Kill(entireProcessTree: true);
                Assert.Fail($"ScaleHost {mode} did not finish");
            }

            var stats = new Dictionary<string, double>();
            var line = stdout.Result.Split('\n').FirstOrDefault(l => l.StartsWith("STATS ", StringComparison.Ordinal)) ?? "";
            foreach (var pair in line.Split(' ').Skip(1).Select(p => p.Split('=')).Where(p => p.Length == 2))
            {
                stats[pair[0]] = double.Parse(pair[1], CultureInfo.InvariantCulture);
            }

            var writes = strace ? ParseWrites(File.ReadAllLines(log)) : Array.Empty<TracedWrite>();
            return new HostRun(process.ExitCode, stdout.Result, stderr.Result, stats, writes);
        }
        finally
        {
            File.Delete(log);
        }
    }

    static readonly Regex WriteArguments = new(@"^(\d+)(?:<(.*)>)?, ""((?:\\x[0-9a-f]{2})*)""(\.\.\.)?, (\d+)$", RegexOptions.Compiled);

    static IReadOnlyList<TracedWrite> ParseWrites(IEnumerable<string> lines)
    {
        var writes = new List<TracedWrite>();
        foreach (var call in StraceLog.Parse(lines).Where(c => c.Name == "write"))
        {
            var match = WriteArguments.Match(call.Arguments);
            Assert.That(match.Success, Is.True, "unparsed strace write: " + call.Arguments);
            Assert.That(match.Groups[4].Success, Is.False, "strace cut a write short (raise -s)");
            var hex = match.Groups[3].Value;
            var data = new byte[hex.Length / 4];
            for (var i = 0; i < data.Length; i++)
            {
                data[i] = byte.Parse(hex.AsSpan(i * 4 + 2, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            }

            var path = System.Text.Encoding.UTF8.GetString(Regex.Matches(match.Groups[2].Value, @"\\x([0-9a-f]{2})|(.)", RegexOptions.Singleline)
                .Select(m => m.Groups[1].Success ? byte.Parse(m.Groups[1].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture) : (byte)m.Groups[2].Value[0])
                .ToArray());
            writes.Add(new TracedWrite(call.Pid, int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture), path, data,
                int.Parse(match.Groups[5].Value, CultureInfo.InvariantCulture), call.Result, call.ResultText));
        }

        return writes;
    }
}
