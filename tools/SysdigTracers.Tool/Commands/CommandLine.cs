using System.CommandLine;
using System.IO;

namespace SysdigTracers.Tool.Commands;

/// <summary>The <c>sysdig-tracers</c> command line: <c>run</c>, <c>summary</c>, <c>list</c> and <c>export</c>.</summary>
internal static class CommandLine
{
    public static int Run(string[] args, TextWriter standard, TextWriter error, int? width = null)
    {
        var output = new Output(standard, error, width);
        var recording = new Argument<string>("recording")
        {
            Description = "A recording (SYSDIG_TRACERS_RECORD=<path>) or sysdig -j output of tracer events; - reads standard input.",
        };
        var tag = new Option<string?>("--tag") { Description = "Only spans under this dotted tag prefix, e.g. MyShop.Orders." };
        var depth = new Option<int?>("--depth") { Description = "Rows by the first N tag components (default: the whole tag; with --tag, one level below it)." };
        depth.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int?>() is < 1)
            {
                result.AddError("--depth must be 1 or more.");
            }
        });

        var summary = new Command("summary", "Traces Summary: one row per tag with hits, errors, total, average, minimum, maximum and p95 duration, sorted by total time; spans that never ended and exits without an enter are listed apart.")
        {
            recording, tag, depth,
        };
        summary.SetAction(r => ViewCommands.Summary(r.GetValue(recording)!, r.GetValue(tag), r.GetValue(depth), output));

        var minimum = new Option<string?>("--min-duration") { Description = "Only spans at least this long: 800ns, 250us, 1.5ms, 2s (a bare number is ms)." };
        var list = new Command("list", "One line per span in start order: start (ms after the first tracer), duration, pid/tid, id, tag, arguments (-> exit arguments).")
        {
            recording, tag, minimum,
        };
        list.SetAction(r => ViewCommands.List(r.GetValue(recording)!, r.GetValue(tag), r.GetValue(minimum), output));

        var format = new Option<string>("--format", "-f") { Description = "chrome (trace-event JSON for Perfetto and chrome://tracing) or speedscope.", Required = true };
        format.AcceptOnlyFromAmong("chrome", "speedscope");
        var file = new Option<string?>("--output", "-o") { Description = "The file to write (default: standard output)." };
        var export = new Command("export", "Writes the spans as a Chrome trace or a speedscope profile, to look at as a timeline or a flame chart.")
        {
            recording, format, file,
        };
        export.SetAction(r => ViewCommands.Export(r.GetValue(recording)!, r.GetValue(format)!, r.GetValue(file), output));

        var command = new Argument<string[]>("command") { Description = "The command to run, after --.", Arity = ArgumentArity.OneOrMore };
        var keep = new Option<string?>("--keep") { Description = "Record into this file and keep it (default: a temporary file, deleted after the summary)." };
        var run = new Command("run", "Runs a command with the recording on, then prints the summary (on standard error) and exits with the command's exit code.")
        {
            command, keep, tag, depth,
        };
        run.SetAction(r => RunCommand.Run(r.GetValue(command)!, r.GetValue(keep), r.GetValue(tag), r.GetValue(depth), output));

        var root = new RootCommand("See the spans of programs woven by SysdigTracers.Fody without sysdig: record, summarise, list, export.")
        {
            run, summary, list, export,
        };
        ParseResult parsed = root.Parse(args);
        return parsed.Invoke(new InvocationConfiguration { Output = standard, Error = error });
    }
}
