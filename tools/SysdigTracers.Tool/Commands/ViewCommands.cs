using System;
using System.IO;
using System.Linq;
using SysdigTracers.Tool.Export;
using SysdigTracers.Tool.Spans;

namespace SysdigTracers.Tool.Commands;

/// <summary>
/// What <c>summary</c>, <c>list</c> and <c>export</c> do with a recording. Each returns the exit code: 0 when every
/// line was read, 1 when some were not (they are reported), 2 when the input cannot be opened.
/// </summary>
internal static class ViewCommands
{
    public static int Summary(string path, string? tag, int? depth, Output output) => Guard(path, output, () =>
    {
        string[] under = SplitTag(tag);
        var summary = new Summary(under, depth ?? (under.Length == 0 ? 0 : under.Length + 1));
        SpanReading reading = SpanReading.Read(path, summary.Add);
        WriteSummary(output.Console(output.Standard), summary, reading, tag, depth);
        return reading.Problems.Count == 0 ? 0 : 1;
    });

    public static int List(string path, string? tag, string? minimum, Output output) => Guard(path, output, () =>
    {
        long minimumNanoseconds = 0;
        if (minimum != null && !SpanList.TryParseDuration(minimum, out minimumNanoseconds))
        {
            output.Error.WriteLine($"--min-duration: '{minimum}' is not a duration such as 800ns, 250us, 1.5ms or 2s");
            return 2;
        }

        var list = new SpanList(SplitTag(tag), minimumNanoseconds);
        SpanReading reading = SpanReading.Read(path, list.Add);
        list.Write(output.Standard, reading);
        var console = output.Console(output.Error);
        SummaryView.WriteUnpairedExits(console, reading);
        SummaryView.WriteProblems(console, reading);
        return reading.Problems.Count == 0 ? 0 : 1;
    });

    public static int Export(string path, string format, string? outputPath, Output output) => Guard(path, output, () =>
    {
        using Stream stream = outputPath == null ? Console.OpenStandardOutput() : File.Create(outputPath);
        SpanReading reading;
        if (format == "chrome")
        {
            using var chrome = new ChromeTraceWriter(stream);
            reading = SpanReading.Read(path, chrome.Add, chrome.SetOrigin);
            foreach (Span span in reading.Unended)
            {
                chrome.Add(span);
            }
        }
        else
        {
            var speedscope = new SpeedscopeWriter(Path.GetFileName(path));
            reading = SpanReading.Read(path, speedscope.Add);
            speedscope.Write(stream, reading.FirstTime ?? 0);
            if (reading.Unended.Count > 0)
            {
                output.Error.WriteLine($"{reading.Unended.Count} span(s) never ended and are not in the speedscope profile (`sysdig-tracers summary` lists them).");
            }
        }

        var console = output.Console(output.Error);
        SummaryView.WriteUnpairedExits(console, reading);
        SummaryView.WriteProblems(console, reading);
        return reading.Problems.Count == 0 ? 0 : 1;
    });

    public static void WriteSummary(Spectre.Console.IAnsiConsole console, Summary summary, SpanReading reading, string? tag, int? depth)
    {
        string scope = tag == null ? "" : $" under {tag}";
        string level = depth == null ? (tag == null ? "" : ", one level down") : $", depth {depth}";
        string title = $"Traces Summary{scope}{level}: {reading.Events} tracers";
        SummaryView.Write(console, title, summary, reading);
    }

    static string[] SplitTag(string? tag) =>
        string.IsNullOrEmpty(tag) ? Array.Empty<string>() : tag.Split('.').ToArray();

    static int Guard(string path, Output output, Func<int> command)
    {
        if (path != "-" && !File.Exists(path))
        {
            output.Error.WriteLine($"{path}: no such file");
            return 2;
        }

        try
        {
            return command();
        }
        catch (IOException e)
        {
            output.Error.WriteLine($"{path}: {e.Message}");
            return 2;
        }
        catch (UnauthorizedAccessException e)
        {
            output.Error.WriteLine($"{path}: {e.Message}");
            return 2;
        }
    }
}
