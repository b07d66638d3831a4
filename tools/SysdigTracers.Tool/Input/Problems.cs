using System.Collections.Generic;

namespace SysdigTracers.Tool.Input;

/// <summary>What could not be read or paired, each naming its input line; the first ones are kept, all are counted.</summary>
internal sealed class Problems
{
    const int Kept = 20;
    readonly List<string> first = new();

    public Problems(string source) => Source = source;

    /// <summary>The input's name, which every message starts with.</summary>
    public string Source { get; }

    public long Count { get; private set; }

    public IReadOnlyList<string> First => first;

    public void Add(long line, string message)
    {
        Count++;
        if (first.Count < Kept)
        {
            first.Add(line > 0 ? $"{Source}:{line}: {message}" : $"{Source}: {message}");
        }
    }
}
