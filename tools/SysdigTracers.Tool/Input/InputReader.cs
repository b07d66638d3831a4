using System.Collections.Generic;
using System.IO;

namespace SysdigTracers.Tool.Input;

/// <summary>
/// Streams the tracer events of a recording (docs/recording.md) or of sysdig's JSON output, told apart by their first
/// line. Lines that cannot be read are reported to <see cref="Problems"/> with their number and skipped, never guessed.
/// </summary>
internal static class InputReader
{
    static readonly string SupportedVersion = RecordingFormat.Version.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static IEnumerable<TracerEvent> Read(TextReader reader, Problems problems)
    {
        bool? json = null;
        foreach (LineSource.Line line in LineSource.Read(reader))
        {
            if (json == null)
            {
                if (line.Text.Trim().Length == 0)
                {
                    continue;
                }

                if (SysdigJsonFormat.Recognises(line.Text))
                {
                    json = true;
                }
                else if (RecordingFormat.IsHeader(line.Text, out _))
                {
                    json = false;
                }
                else
                {
                    problems.Add(line.Number, $"neither a recording (its first line is '{RecordingFormat.HeaderPrefix}{RecordingFormat.Version}') nor sysdig -j output; nothing read");
                    yield break;
                }
            }

            if (!line.Ended)
            {
                problems.Add(line.Number, "the last line has no newline (the file is truncated or still being written); it was not read");
                yield break;
            }

            if (json == false && RecordingFormat.IsHeader(line.Text, out string version) && version != SupportedVersion)
            {
                problems.Add(line.Number, $"recording format version '{version}' is not supported (this tool reads version {SupportedVersion}); nothing after it was read");
                yield break;
            }

            TracerEvent? tracerEvent = json == true ? ReadJson(line, problems) : ReadRecording(line, problems);
            if (tracerEvent != null)
            {
                yield return tracerEvent;
            }
        }
    }

    static TracerEvent? ReadJson(LineSource.Line line, Problems problems)
    {
        TracerEvent? tracerEvent = SysdigJsonFormat.ParseLine(line.Text, line.Number, out string? error);
        if (error != null)
        {
            problems.Add(line.Number, error);
        }

        return tracerEvent;
    }

    static TracerEvent? ReadRecording(LineSource.Line line, Problems problems)
    {
        if (line.Text.Length == 0)
        {
            return null;
        }

        if (RecordingFormat.IsHeader(line.Text, out _))
        {
            return null;
        }

        TracerEvent? tracerEvent = RecordingFormat.ParseLine(line.Text, line.Number, out string? error);
        if (tracerEvent == null)
        {
            problems.Add(line.Number, error + ": " + Excerpt(line.Text));
        }

        return tracerEvent;
    }

    static string Excerpt(string text) => text.Length <= 80 ? text : text[..77] + "...";
}
