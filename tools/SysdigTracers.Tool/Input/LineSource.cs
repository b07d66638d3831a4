using System.Collections.Generic;
using System.IO;
using System.Text;

namespace SysdigTracers.Tool.Input;

/// <summary>The lines of a text input, streamed, each with its number and whether a newline ended it.</summary>
internal static class LineSource
{
    /// <summary>A line; <paramref name="Ended"/> is false only for a last line without a newline.</summary>
    public readonly record struct Line(long Number, string Text, bool Ended);

    public static IEnumerable<Line> Read(TextReader reader)
    {
        var current = new StringBuilder();
        char[] buffer = new char[64 * 1024];
        long number = 0;
        int read;
        while ((read = reader.Read(buffer, 0, buffer.Length)) > 0)
        {
            int start = 0;
            for (int i = 0; i < read; i++)
            {
                if (buffer[i] != '\n')
                {
                    continue;
                }

                string text;
                if (current.Length == 0)
                {
                    text = new string(buffer, start, i - start);
                }
                else
                {
                    current.Append(buffer, start, i - start);
                    text = current.ToString();
                    current.Clear();
                }

                yield return new Line(++number, text, true);
                start = i + 1;
            }

            current.Append(buffer, start, read - start);
        }

        if (current.Length > 0)
        {
            yield return new Line(++number, current.ToString(), false);
        }
    }
}
