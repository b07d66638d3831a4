using System.Diagnostics;
using NUnit.Framework;

namespace SysdigTracers.Tool.Tests;

/// <summary>Runs a program to its end, capturing its output; fails the test if it takes over the time given.</summary>
internal static class ProcessRunner
{
    public sealed record Result(int ExitCode, string Output, string Error);

    public static Result Run(string file, params string[] args) => Run(600, file, args);

    public static Result Run(int timeoutSeconds, string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        // A developer's echo setting would add lines to the sample's output.
        start.Environment.Remove("SYSDIG_TRACERS_ECHO");
        using Process process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeoutSeconds * 1000))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{file} {string.Join(" ", args)} did not end within {timeoutSeconds} s");
        }

        return new Result(process.ExitCode, output.Result, error.Result);
    }
}
