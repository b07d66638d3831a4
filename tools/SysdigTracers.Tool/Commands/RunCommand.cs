using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Diagnostics;
using System.IO;

namespace SysdigTracers.Tool.Commands;

/// <summary>
/// <c>run -- COMMAND...</c>: runs the command with <c>SYSDIG_TRACERS_RECORD</c> set to a temporary file (or the
/// <c>--keep</c> path), then prints the summary to the error output, so that the command's own output stays as it is.
/// Returns the command's exit code.
/// </summary>
internal static class RunCommand
{
    public const string RecordVariable = "SYSDIG_TRACERS_RECORD";

    public static int Run(IReadOnlyList<string> command, string? keep, string? tag, int? depth, Output output)
    {
        string path = keep ?? Path.Combine(Path.GetTempPath(), "sysdig-tracers-" + Guid.NewGuid().ToString("N") + ".rec");
        if (keep != null)
        {
            File.Delete(keep);
        }

        var start = new ProcessStartInfo(command[0]) { UseShellExecute = false };
        for (int i = 1; i < command.Count; i++)
        {
            start.ArgumentList.Add(command[i]);
        }

        start.Environment[RecordVariable] = path;

        // Ctrl+C reaches the command too; this process waits for it to end and still prints the summary.
        ConsoleCancelEventHandler ignore = (_, e) => e.Cancel = true;
        Console.CancelKeyPress += ignore;
        int exitCode;
        try
        {
            using Process process = Process.Start(start)!;
            process.WaitForExit();
            exitCode = process.ExitCode;
        }
        catch (Win32Exception e)
        {
            output.Error.WriteLine($"sysdig-tracers run: cannot start '{command[0]}': {e.Message}");
            return 127;
        }
        finally
        {
            Console.CancelKeyPress -= ignore;
        }

        try
        {
            if (!File.Exists(path))
            {
                output.Error.WriteLine($"sysdig-tracers run: no tracer was recorded. Is '{command[0]}' woven by SysdigTracers.Fody, and is tracing on (SYSDIG_TRACERS is not 0)?");
                return exitCode;
            }

            output.Error.WriteLine();
            ViewCommands.Summary(path, tag, depth, new Output(output.Error, output.Error, output.Width));
            if (keep != null)
            {
                output.Error.WriteLine($"The recording is in {keep}.");
            }
        }
        finally
        {
            if (keep == null)
            {
                File.Delete(path);
            }
        }

        return exitCode;
    }
}
