using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.Json;

namespace SysdigTracers.Tool.Input;

/// <summary>
/// Tracer events as sysdig prints them with <c>-j</c> and the format of docs/recording.md ("A sysdig capture"): one
/// JSON object per line (inside the <c>[</c> … <c>]</c> sysdig wraps them in), with the fields
/// <c>evt.rawtime</c>, <c>proc.pid</c>, <c>thread.tid</c>, <c>evt.dir</c>, <c>evt.type</c> and the tracer's
/// <c>span.id</c>, <c>span.tags</c>, <c>span.args</c> (or <c>evt.arg.id</c>, <c>evt.arg.tags</c>, <c>evt.arg.args</c>).
/// sysdig has already resolved <c>t</c> and <c>p</c> and removed the escapes: a tag or value that contained <c>.</c>,
/// <c>,</c> or <c>=</c> cannot be told apart from a separator there.
/// </summary>
internal static class SysdigJsonFormat
{
    /// <summary>Whether <paramref name="line"/> looks like the start of sysdig's JSON output.</summary>
    public static bool Recognises(string line)
    {
        string trimmed = line.TrimStart();
        return trimmed.StartsWith('[') || trimmed.StartsWith('{');
    }

    /// <summary>
    /// Reads one line: an event, or <see langword="null"/> with <paramref name="error"/> null for a line that holds no
    /// tracer event (<c>[</c>, <c>]</c>, another event type), or <see langword="null"/> and the reason.
    /// </summary>
    public static TracerEvent? ParseLine(string line, long number, out string? error)
    {
        error = null;
        ReadOnlySpan<char> text = line.AsSpan().Trim();
        if (text.StartsWith(","))
        {
            text = text[1..].TrimStart();
        }

        if (text.StartsWith("["))
        {
            text = text[1..].TrimStart();
        }

        if (text.EndsWith("]"))
        {
            text = text[..^1].TrimEnd();
        }

        if (text.EndsWith(","))
        {
            text = text[..^1].TrimEnd();
        }

        if (text.IsEmpty)
        {
            return null;
        }

        try
        {
            using JsonDocument document = JsonDocument.Parse(text.ToString());
            return FromObject(document.RootElement, number, out error);
        }
        catch (JsonException e)
        {
            error = "not a JSON object (" + e.Message.Split('.')[0] + ")";
            return null;
        }
    }

    static TracerEvent? FromObject(JsonElement element, long number, out string? error)
    {
        error = null;
        if (element.ValueKind != JsonValueKind.Object)
        {
            error = "not a JSON object";
            return null;
        }

        string? type = Text(element, "evt.type");
        if (type != null && type != "tracer")
        {
            return null;
        }

        string? direction = Text(element, "evt.dir");
        long? time = Number(element, "evt.rawtime");
        long? pid = Number(element, "proc.pid");
        long? tid = Number(element, "thread.tid");
        string? id = Text(element, "span.id") ?? Text(element, "evt.arg.id");
        string? tags = Text(element, "span.tags") ?? Text(element, "evt.arg.tags");
        string? args = Text(element, "span.args") ?? Text(element, "evt.arg.args");
        var missing = new List<string>();
        if (direction is not (">" or "<"))
        {
            missing.Add("evt.dir");
        }

        if (time == null)
        {
            missing.Add("evt.rawtime");
        }

        if (pid == null)
        {
            missing.Add("proc.pid");
        }

        if (tid == null)
        {
            missing.Add("thread.tid");
        }

        if (id == null)
        {
            missing.Add("span.id");
        }

        if (tags == null)
        {
            missing.Add("span.tags");
        }

        if (missing.Count > 0)
        {
            error = "missing or invalid " + string.Join(", ", missing) + " (see docs/recording.md for the sysdig command line)";
            return null;
        }

        var tracer = new Tracer(direction == ">", id!, SplitTags(tags!), SplitArgs(args));
        return new TracerEvent(time!.Value, pid!.Value, tid!.Value, tracer, number);
    }

    static IReadOnlyList<string> SplitTags(string tags) => tags.Length == 0 ? Array.Empty<string>() : tags.Split('.');

    static IReadOnlyList<KeyValuePair<string, string>> SplitArgs(string? args)
    {
        var list = new List<KeyValuePair<string, string>>();
        if (string.IsNullOrEmpty(args))
        {
            return list;
        }

        foreach (string pair in args.Split(','))
        {
            int equals = pair.IndexOf('=');
            list.Add(equals < 0 ? new(pair, "") : new(pair[..equals], pair[(equals + 1)..]));
        }

        return list;
    }

    static string? Text(JsonElement element, string name)
    {
        if (!element.TryGetProperty(name, out JsonElement value))
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number => value.GetRawText(),
            JsonValueKind.Null => "",
            _ => null,
        };
    }

    static long? Number(JsonElement element, string name)
    {
        string? text = Text(element, name);
        return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value) ? value : null;
    }
}
