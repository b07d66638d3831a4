using System;
using System.Collections.Generic;
using System.Linq;

namespace SysdigTracers.Tool.Spans;

/// <summary>
/// csysdig's Traces Summary: one row per tag, cut to <c>depth</c> components (all of them when 0), optionally only
/// under a tag prefix, with hits, errors and durations. A span nested in a span of the same row (recursion) counts as
/// a hit, but its time is in the row's total once, through the outer span.
/// </summary>
internal sealed class Summary
{
    readonly Dictionary<string, Row> rows = new(StringComparer.Ordinal);
    readonly string[] under;
    readonly int depth;

    /// <param name="under">Only spans whose tags begin with these (empty: all).</param>
    /// <param name="depth">How many tag components name a row; 0 for the whole tag.</param>
    public Summary(IReadOnlyList<string> under, int depth)
    {
        this.under = under.ToArray();
        this.depth = depth;
    }

    public IEnumerable<Row> Rows => rows.Values.OrderByDescending(r => r.Total).ThenBy(r => r.Tag, StringComparer.Ordinal);

    public void Add(Span span)
    {
        string? row = RowOf(span);
        if (row == null)
        {
            return;
        }

        if (!rows.TryGetValue(row, out Row? stats))
        {
            rows[row] = stats = new Row(row);
        }

        long duration = span.Duration ?? 0;
        stats.Durations.Add(duration);
        if (span.IsError)
        {
            stats.Errors++;
        }

        for (Span? outer = span.Parent; outer != null; outer = outer.Parent)
        {
            if (RowOf(outer) == row)
            {
                return;
            }
        }

        stats.Total += duration;
    }

    string? RowOf(Span span)
    {
        IReadOnlyList<string> tags = span.Tags;
        if (tags.Count < under.Length)
        {
            return null;
        }

        for (int i = 0; i < under.Length; i++)
        {
            if (tags[i] != under[i])
            {
                return null;
            }
        }

        int take = depth == 0 ? tags.Count : Math.Min(tags.Count, depth);
        return take == tags.Count ? span.Tag : string.Join('.', tags.Take(take));
    }

    /// <summary>One row of the summary.</summary>
    internal sealed class Row
    {
        public Row(string tag) => Tag = tag;

        public string Tag { get; }

        public DurationStats Durations { get; } = new();

        public long Errors { get; set; }

        public long Total { get; set; }
    }
}
