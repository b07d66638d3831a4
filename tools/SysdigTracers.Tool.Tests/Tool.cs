using System.IO;
using SysdigTracers.Tool.Commands;

namespace SysdigTracers.Tool.Tests;

/// <summary>Runs the tool's command line in process, with tables laid out 120 columns wide and no colours.</summary>
internal static class Tool
{
    public sealed record Result(int ExitCode, string Output, string Error);

    public static Result Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int exitCode = CommandLine.Run(args, output, error, width: 120);
        return new Result(exitCode, output.ToString(), error.ToString());
    }
}
