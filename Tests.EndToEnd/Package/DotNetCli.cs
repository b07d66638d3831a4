using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Text;

namespace Tests.Package;

/// <summary>The result of one <c>dotnet</c> (or other) process: exit code and interleaved output.</summary>
internal sealed record ProcessResult(string CommandLine, int ExitCode, string Output)
{
    /// <summary>Everything a failure message needs: the command, its exit code and all it printed.</summary>
    public string Describe() => $"`{CommandLine}` exited with {ExitCode}. Output:{Environment.NewLine}{Output}";
}

/// <summary>
/// Runs the dotnet CLI the way a user would in a terminal, isolated from the test host: no MSBuild variables
/// inherited from `dotnet test`, no build servers or node reuse left behind, a bounded time.
/// </summary>
internal static class DotNetCli
{
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(5);

    /// <summary>The dotnet host running the tests (falls back to `dotnet` on PATH).</summary>
    public static string DotNetPath
    {
        get
        {
            var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
            if (!string.IsNullOrEmpty(host) && File.Exists(host))
            {
                return host;
            }

            var self = Environment.ProcessPath;
            if (self != null && Path.GetFileNameWithoutExtension(self).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
            {
                return self;
            }

            return "dotnet";
        }
    }

    /// <summary>Runs <c>dotnet</c> with the given arguments and returns what happened (never throws on a non-zero exit).</summary>
    public static ProcessResult Run(string workingDirectory, IReadOnlyDictionary<string, string?>? environment, params string[] arguments)
        => RunProcess(DotNetPath, workingDirectory, environment, DefaultTimeout, arguments);

    /// <summary>Runs <c>dotnet</c> and fails the test with the full output when it does not exit with 0.</summary>
    public static ProcessResult RunChecked(string workingDirectory, IReadOnlyDictionary<string, string?>? environment, params string[] arguments)
    {
        var result = Run(workingDirectory, environment, arguments);
        if (result.ExitCode != 0)
        {
            NUnit.Framework.Assert.Fail(result.Describe());
        }

        return result;
    }

    /// <summary>Runs any program with the same isolation as the dotnet commands.</summary>
    public static ProcessResult RunProcess(
        string fileName,
        string workingDirectory,
        IReadOnlyDictionary<string, string?>? environment,
        TimeSpan timeout,
        params string[] arguments)
    {
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        Isolate(start.Environment);
        if (environment != null)
        {
            foreach (var pair in environment)
            {
                if (pair.Value == null)
                {
                    start.Environment.Remove(pair.Key);
                }
                else
                {
                    start.Environment[pair.Key] = pair.Value;
                }
            }
        }

        var commandLine = fileName + " " + string.Join(" ", arguments);
        var output = new StringBuilder();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit((int)timeout.TotalMilliseconds))
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // It ended meanwhile.
            }

            process.WaitForExit();
            lock (output)
            {
                return new ProcessResult(commandLine, -1, output + Environment.NewLine + $"(killed after {timeout.TotalSeconds:0} s)");
            }
        }

        process.WaitForExit(); // drains the asynchronous readers
        lock (output)
        {
            return new ProcessResult(commandLine, process.ExitCode, output.ToString());
        }
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line == null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }
    }

    /// <summary>Makes <paramref name="environment"/> a user's terminal's: nothing of the test host's MSBuild, no build servers.</summary>
    public static void Isolate(IDictionary<string, string?> environment)
    {
        // `dotnet test` runs the tests with variables that point a nested MSBuild at its own instance
        // (MSBuildExtensionsPath, MSBuildSDKsPath, MSBUILD_EXE_PATH...); a user's terminal has none of them.
        var inherited = new List<string>(environment.Keys);
        foreach (var name in inherited)
        {
            if (name.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase)
                || name.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase)
                || name.StartsWith("SYSDIG_TRACERS", StringComparison.OrdinalIgnoreCase)
                || name.Equals("TESTINGPLATFORM_DOTNETTEST_EXECUTIONID", StringComparison.OrdinalIgnoreCase))
            {
                environment.Remove(name);
            }
        }

        environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        environment["DOTNET_NOLOGO"] = "1";
        environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        environment["DOTNET_CLI_UI_LANGUAGE"] = "en";
        // Nothing may outlive the test: no MSBuild nodes, no compiler or MSBuild server.
        environment["MSBUILDDISABLENODEREUSE"] = "1";
        environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        environment["UseSharedCompilation"] = "false";
    }
}
