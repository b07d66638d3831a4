using System.Collections.Generic;
using SysdigTracers.Tool.Input;

namespace SysdigTracers.Tool.Spans;

/// <summary>An enter tracer and, once it came, the exit that closed it.</summary>
internal sealed class Span
{
    public Span(TracerEvent enter, string id, Span? parent)
    {
        Enter = enter;
        Id = id;
        Parent = parent;
    }

    public TracerEvent Enter { get; }

    /// <summary>The exit that closed the span, or <see langword="null"/> while it is open (or if it never ended).</summary>
    public TracerEvent? Exit { get; set; }

    /// <summary>The id with <c>t</c>, <c>p</c> and the empty id resolved, as sysdig pairs it.</summary>
    public string Id { get; }

    /// <summary>The span that was open on the same thread when this one started, if any.</summary>
    public Span? Parent { get; }

    public string Tag => Enter.Tracer.Tag;

    public IReadOnlyList<string> Tags => Enter.Tracer.Tags;

    public long Start => Enter.Time;

    /// <summary>Nanoseconds from enter to exit (0 if the clock went back); <see langword="null"/> for an open span.</summary>
    public long? Duration => Exit == null ? null : System.Math.Max(0, Exit.Time - Enter.Time);

    /// <summary>Whether the exit says the span ended by an exception (an <c>exception=</c> argument).</summary>
    public bool IsError
    {
        get
        {
            if (Exit == null)
            {
                return false;
            }

            foreach (KeyValuePair<string, string> arg in Exit.Tracer.Args)
            {
                if (arg.Key == "exception")
                {
                    return true;
                }
            }

            return false;
        }
    }
}
