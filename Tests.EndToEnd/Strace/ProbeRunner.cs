using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Reflection;
using NUnit.Framework;

namespace Tests.Runtime;

/// <summary>Runs the TracerProbe program (built with the tests), optionally under strace.</summary>
public static class ProbeRunner
{
    public static string ProbePath
    {
        get
        {
            string path = typeof(ProbeRunner).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
                .Single(a => a.Key == "TracerProbePath").Value!;
            Assert.That(File.Exists(path), Is.True, "TracerProbe is built with the tests: " + path);
            return Path.GetFullPath(path);
        }
    }

    public static string StracePath
    {
        get
        {
            string? strace = new[] { "/usr/bin/strace", "/bin/strace", "/usr/local/bin/strace" }.FirstOrDefault(File.Exists);
            if (strace == null)
            {
                Assert.Fail("strace is required for the syscall tests and was not found: install it with `apt-get install -y strace` (.ci/run does).");
            }

            return strace!;
        }
    }

    /// <summary>Runs the probe under <c>strace -f -xx</c> and returns the parsed calls.</summary>
    public static (ProbeResult Result, IReadOnlyList<StraceCall> Calls) RunUnderStrace(params string[] args) =>
        RunUnderStrace(null, args);

    /// <summary>Runs the probe under <c>strace -f -xx</c> with extra environment variables.</summary>
    public static (ProbeResult Result, IReadOnlyList<StraceCall> Calls) RunUnderStrace(IDictionary<string, string?>? environment, params string[] args)
    {
        string log = Path.Combine(Path.GetTempPath(), "sysdig-strace-" + Guid.NewGuid().ToString("N") + ".txt");
        try
        {
            var straceArgs = new List<string>
            {
                "-f", "-qq", "-xx", "-s", "65536", "-o", log,
                "-e", "trace=openat,open,creat,write,pwrite64,writev,pwritev,close",
                Dotnet, ProbePath,
            };
            straceArgs.AddRange(args);
            ProbeResult result = Run(StracePath, straceArgs, environment);
            Assert.That(result.ExitCode, Is.Zero, () => "strace/probe failed: " + result.StandardError);
            return (result, StraceLog.Parse(File.ReadAllLines(log)));
        }
        finally
        {
            File.Delete(log);
        }
    }

    public static ProbeResult RunProbe(IDictionary<string, string?> environment, params string[] args) =>
        Run(Dotnet, new[] { ProbePath }.Concat(args), environment);

    private static string Dotnet =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    private static ProbeResult Run(string file, IEnumerable<string> args, IDictionary<string, string?>? environment)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        // The probe must not inherit the test run's tracing settings.
        start.Environment.Remove("SYSDIG_TRACERS");
        start.Environment.Remove("SYSDIG_TRACERS_ECHO");
        foreach (KeyValuePair<string, string?> pair in environment ?? new Dictionary<string, string?>())
        {
            start.Environment[pair.Key] = pair.Value;
        }

        using Process process = Process.Start(start)!;
        System.Threading.Tasks.Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        System.Threading.Tasks.Task<string> stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(60_000))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail("the probe did not finish within 60 s");
        }

        return new ProbeResult(process.ExitCode, stdout.Result, stderr.Result);
    }
}

public sealed record ProbeResult(int ExitCode, string StandardOutput, string StandardError);
