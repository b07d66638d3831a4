using System.Collections.Generic;

namespace SysdigTracers.Tool.Input;

/// <summary>What could not be read or paired, each naming its input line; the first ones are kept, all are counted.</summary>
internal sealed class Problems
{
    private const int Kept = 20;
    private readonly List<string> _first = new();

    public Problems(string source) => Source = source;

    /// <summary>The input's name, which every message starts with.</summary>
    public string Source { get; }

    public long Count { get; private set; }

    public IReadOnlyList<string> First => _first;

    public void Add(long line, string message)
    {
        Count++;
        if (_first.Count < Kept)
        {
            _first.Add(line > 0 ? $"{Source}:{line}: {message}" : $"{Source}: {message}");
        }
    }
}
