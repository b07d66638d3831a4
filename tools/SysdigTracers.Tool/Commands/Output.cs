using System.IO;
using Spectre.Console;

namespace SysdigTracers.Tool.Commands;

/// <summary>Where a command writes: its output and error text, and a table console on either.</summary>
internal sealed class Output
{
    public Output(TextWriter standard, TextWriter error, int? width)
    {
        Standard = standard;
        Error = error;
        Width = width;
    }

    public TextWriter Standard { get; }

    public TextWriter Error { get; }

    /// <summary>The width tables are laid out for; <see langword="null"/>: the terminal's (160 when redirected).</summary>
    public int? Width { get; }

    public IAnsiConsole Console(TextWriter writer)
    {
        IAnsiConsole console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = Width == null ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = Width == null ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        if (Width != null)
        {
            console.Profile.Width = Width.Value;
        }
        else if (System.Console.IsOutputRedirected || System.Console.IsErrorRedirected)
        {
            console.Profile.Width = 160;
        }

        return console;
    }
}
