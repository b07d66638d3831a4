using System.Globalization;
using System.Linq;
using Spectre.Console;
using SysdigTracers.Tool.Input;
using SysdigTracers.Tool.Spans;

namespace SysdigTracers.Tool.Commands;

/// <summary>Prints a <see cref="Summary"/>, the spans that never ended, the exits without an enter and the problems.</summary>
internal static class SummaryView
{
    public static void Write(IAnsiConsole console, string title, Summary summary, SpanReading reading)
    {
        var table = new Table().Border(TableBorder.Simple).Title(Markup.Escape(title));
        table.AddColumn("Tag");
        foreach (string column in new[] { "Hits", "Errors", "Total", "Avg", "Min", "Max", "P95" })
        {
            table.AddColumn(new TableColumn(column).RightAligned());
        }

        foreach (Summary.Row row in summary.Rows)
        {
            DurationStats d = row.Durations;
            table.AddRow(
                Markup.Escape(row.Tag),
                d.Count.ToString(CultureInfo.InvariantCulture),
                row.Errors.ToString(CultureInfo.InvariantCulture),
                Format.Duration(row.Total),
                Format.Duration(d.Mean),
                Format.Duration(d.Min),
                Format.Duration(d.Max),
                (d.IsP95Approximate ? "~" : "") + Format.Duration(d.P95));
        }

        console.Write(table);
        WriteUnended(console, reading);
        WriteUnpairedExits(console, reading);
        WriteProblems(console, reading);
    }

    public static void WriteUnended(IAnsiConsole console, SpanReading reading)
    {
        if (reading.Unended.Count == 0)
        {
            return;
        }

        console.WriteLine();
        var table = new Table().Border(TableBorder.Simple).Title($"Spans that never ended: {reading.Unended.Count}");
        table.AddColumns("Line", "Start", "Thread", "Id", "Tag", "Args");
        foreach (Span span in reading.Unended)
        {
            table.AddRow(
                span.Enter.Line.ToString(CultureInfo.InvariantCulture),
                Format.Offset(span.Start, reading.FirstTime ?? span.Start),
                Format.Thread(span.Enter.Pid, span.Enter.Tid),
                Markup.Escape(span.Id),
                Markup.Escape(span.Tag),
                Markup.Escape(Format.Args(span.Enter.Tracer.Args)));
        }

        console.Write(table);
    }

    public static void WriteUnpairedExits(IAnsiConsole console, SpanReading reading)
    {
        if (reading.UnpairedExitCount == 0)
        {
            return;
        }

        console.WriteLine();
        string shown = reading.UnpairedExitCount > reading.UnpairedExits.Count ? $" (the first {reading.UnpairedExits.Count})" : "";
        var table = new Table().Border(TableBorder.Simple).Title($"Exits without an enter: {reading.UnpairedExitCount}{shown}");
        table.AddColumns("Line", "Start", "Thread", "Id", "Tag", "Args");
        foreach (TracerEvent exit in reading.UnpairedExits)
        {
            table.AddRow(
                exit.Line.ToString(CultureInfo.InvariantCulture),
                Format.Offset(exit.Time, reading.FirstTime ?? exit.Time),
                Format.Thread(exit.Pid, exit.Tid),
                Markup.Escape(SpanPairer.ResolveId(exit)),
                Markup.Escape(exit.Tracer.Tag),
                Markup.Escape(Format.Args(exit.Tracer.Args)));
        }

        console.Write(table);
    }

    /// <summary>Problems other than the exits without an enter (already listed) go to the error output.</summary>
    public static void WriteProblems(IAnsiConsole console, SpanReading reading)
    {
        Problems problems = reading.Problems;
        if (problems.Count == 0)
        {
            return;
        }

        console.WriteLine();
        string shown = problems.Count > problems.First.Count ? $", the first {problems.First.Count}" : "";
        console.WriteLine($"{problems.Count} problem(s) in {problems.Source}{shown}:");
        foreach (string message in problems.First)
        {
            console.WriteLine("  " + message);
        }
    }
}
