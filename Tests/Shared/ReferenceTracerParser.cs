using System;
using System.Collections.Generic;
using System.Text;

namespace Tests.Runtime;

/// <summary>How the sysdig parser would take a write to /dev/null.</summary>
public enum TracerParseStatus
{
    /// <summary>A whole tracer.</summary>
    Complete,

    /// <summary>sysdig would keep the bytes and glue them to the thread's next write (or the parser defect hit).</summary>
    Incomplete,

    /// <summary>sysdig would reject it and stop reading tracers on that descriptor (or it is not valid UTF-8).</summary>
    Invalid,
}

/// <summary>Enter (<c>&gt;</c>) or exit (<c>&lt;</c>).</summary>
public enum TracerDirection
{
    /// <summary><c>&gt;</c></summary>
    Enter,

    /// <summary><c>&lt;</c></summary>
    Exit,
}

/// <summary>The result of <see cref="ReferenceTracerParser.Parse(byte[])"/>.</summary>
public sealed class ParsedTracer
{
    internal ParsedTracer(TracerParseStatus status, string reason)
    {
        Status = status;
        Reason = reason;
    }

    /// <summary>Complete, incomplete or invalid.</summary>
    public TracerParseStatus Status { get; }

    /// <summary>Why the tracer is not complete; empty when it is.</summary>
    public string Reason { get; }

    /// <summary>Enter or exit (meaningful when complete).</summary>
    public TracerDirection Direction { get; internal set; }

    /// <summary>The id as written: <c>t</c>, <c>p</c>, <c>pp</c>, digits, or empty (which means 0).</summary>
    public string IdText { get; internal set; } = string.Empty;

    /// <summary>The numeric id, or <see langword="null"/> for <c>t</c>, <c>p</c> and <c>pp</c>.</summary>
    public long? Id { get; internal set; }

    /// <summary>The tags, unescaped, in order.</summary>
    public IReadOnlyList<string> Tags { get; internal set; } = Array.Empty<string>();

    /// <summary>The arguments, unescaped, in order (duplicates kept).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Args { get; internal set; } = Array.Empty<KeyValuePair<string, string>>();

    /// <summary>Ambiguities sysdig may read differently (an unescaped <c>=</c> in a value); empty for a clean tracer.</summary>
    public IReadOnlyList<string> Warnings { get; internal set; } = Array.Empty<string>();

    /// <summary>How many bytes the tracer took, up to and including its closing <c>:</c>.</summary>
    public int Length { get; internal set; }

    /// <summary>The tags joined with dots (for readable assertions; dots inside tags are not escaped).</summary>
    public string TagPath => string.Join(".", Tags);

    /// <inheritdoc/>
    public override string ToString() =>
        Status == TracerParseStatus.Complete
            ? $"{(Direction == TracerDirection.Enter ? '>' : '<')} id={IdText} tags=[{string.Join("|", Tags)}] args=[{string.Join("|", Args)}]"
            : $"{Status}: {Reason}";
}

/// <summary>
/// A parser for sysdig tracers written from <c>docs/sysdig-tracer-format.md</c>, including the defects of the real
/// parser (an id or first tag starting with <c>0</c> reads as incomplete). It is stricter than sysdig in two ways,
/// both things an emitter must never produce: invalid UTF-8 and an argument name that runs into <c>,</c> or
/// <c>:</c> are reported invalid. An unescaped <c>=</c> in a value is kept in the value (as in the doc's tested
/// example <c>x=1\,y=2</c>) but reported in <see cref="ParsedTracer.Warnings"/>, since the doc also says it can start
/// a new argument: a correct emitter produces no warnings.
/// </summary>
public static class ReferenceTracerParser
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Parses the bytes of one write.</summary>
    public static ParsedTracer Parse(byte[] bytes) => new Parser(bytes).Run();

    /// <summary>Parses the UTF-8 encoding of <paramref name="text"/>.</summary>
    public static ParsedTracer Parse(string text) => Parse(Encoding.UTF8.GetBytes(text));

    private sealed class Parser
    {
        private readonly byte[] _data;
        private readonly List<byte> _token = new();
        private int _pos;
        private bool _unescapedEquals;

        internal Parser(byte[] data) => _data = data;

        internal ParsedTracer Run()
        {
            if (Array.IndexOf(_data, (byte)0) >= 0)
            {
                return Incomplete("NUL byte");
            }

            if (_data.Length == 0)
            {
                return Incomplete("empty");
            }

            TracerDirection direction;
            switch (_data[0])
            {
                case (byte)'>':
                    direction = TracerDirection.Enter;
                    break;
                case (byte)'<':
                    direction = TracerDirection.Exit;
                    break;
                default:
                    return Invalid("does not start with '>' or '<'");
            }

            _pos = 1;
            if (_pos >= _data.Length)
            {
                return Incomplete("ends after the direction");
            }

            if (_data[_pos++] != ':')
            {
                return Invalid("no ':' after the direction");
            }

            // ID
            int idStart = _pos;
            while (_pos < _data.Length && _data[_pos] != ':')
            {
                _pos++;
            }

            if (_pos >= _data.Length)
            {
                return Incomplete("ends in the id");
            }

            string idText = Encoding.ASCII.GetString(_data, idStart, _pos - idStart);
            _pos++;
            long? id;
            if (idText is "t" or "p" or "pp")
            {
                id = null;
            }
            else if (idText.Length == 0)
            {
                id = 0;
            }
            else if (idText[0] == '0')
            {
                return Incomplete("id starts with 0 (parser defect)");
            }
            else if (long.TryParse(idText, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out long number))
            {
                id = number;
            }
            else
            {
                return Invalid("id is not t, p, pp or an int64: " + idText);
            }

            // TAGS
            var tags = new List<string>();
            if (_pos >= _data.Length)
            {
                return Incomplete("ends before the tags");
            }

            if (_data[_pos] == ':')
            {
                _pos++;
            }
            else
            {
                while (true)
                {
                    bool firstTag = tags.Count == 0;
                    if (firstTag && _pos < _data.Length && _data[_pos] == '0')
                    {
                        return Incomplete("first tag starts with 0 (parser defect)");
                    }

                    ParsedTracer? failure = ReadToken(out byte end, ".:", "<>=\n", "tag");
                    if (failure != null)
                    {
                        return failure;
                    }

                    if (!TryDecode(out string tag))
                    {
                        return Invalid("tag is not valid UTF-8");
                    }

                    tags.Add(tag);
                    if (end == ':')
                    {
                        break;
                    }
                }
            }

            // ARGS
            var args = new List<KeyValuePair<string, string>>();
            var warnings = new List<string>();
            if (_pos >= _data.Length)
            {
                return Incomplete("ends before the arguments");
            }

            if (_data[_pos] == ':')
            {
                _pos++;
            }
            else
            {
                while (true)
                {
                    ParsedTracer? failure = ReadToken(out byte end, "=,:", "<>\n", "argument name");
                    if (failure != null)
                    {
                        return failure;
                    }

                    if (end != '=')
                    {
                        return Invalid("argument name ends with '" + (char)end + "' instead of '='");
                    }

                    if (!TryDecode(out string name))
                    {
                        return Invalid("argument name is not valid UTF-8");
                    }

                    failure = ReadToken(out end, ",:", string.Empty, "argument value");
                    if (failure != null)
                    {
                        return failure;
                    }

                    if (_unescapedEquals)
                    {
                        warnings.Add("unescaped '=' in the value of " + name);
                    }

                    if (!TryDecode(out string value))
                    {
                        return Invalid("argument value is not valid UTF-8");
                    }

                    args.Add(new KeyValuePair<string, string>(name, value));
                    if (end == ':')
                    {
                        break;
                    }
                }
            }

            return new ParsedTracer(TracerParseStatus.Complete, string.Empty)
            {
                Direction = direction,
                IdText = idText,
                Id = id,
                Tags = tags,
                Args = args,
                Warnings = warnings,
                Length = _pos,
            };
        }

        /// <summary>Reads up to an unescaped byte of <paramref name="terminators"/> into <see cref="_token"/>.</summary>
        private ParsedTracer? ReadToken(out byte end, string terminators, string forbidden, string what)
        {
            _token.Clear();
            _unescapedEquals = false;
            end = 0;
            while (_pos < _data.Length)
            {
                byte b = _data[_pos++];
                if (b == '\\')
                {
                    if (_pos >= _data.Length)
                    {
                        return Incomplete("ends in an escape in a " + what);
                    }

                    _token.Add(_data[_pos++]);
                    continue;
                }

                if (b < 0x80 && terminators.IndexOf((char)b) >= 0)
                {
                    end = b;
                    return null;
                }

                if (b == '=')
                {
                    _unescapedEquals = true;
                }

                if (b < 0x80 && forbidden.IndexOf((char)b) >= 0)
                {
                    return Invalid($"unescaped '{(char)b}' in a {what}");
                }

                _token.Add(b);
            }

            return Incomplete("ends in a " + what);
        }

        private bool TryDecode(out string text)
        {
            try
            {
                text = StrictUtf8.GetString(_token.ToArray());
                return true;
            }
            catch (ArgumentException)
            {
                text = string.Empty;
                return false;
            }
        }

        private static ParsedTracer Incomplete(string reason) => new(TracerParseStatus.Incomplete, reason);

        private static ParsedTracer Invalid(string reason) => new(TracerParseStatus.Invalid, reason);
    }
}
