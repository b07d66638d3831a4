namespace SysdigTracers.Internal;

/// <summary>
/// Appends the parts of one tracer to a fixed buffer, applying the format rules: tags and names sanitised, values
/// escaped, and the whole tracer kept within <see cref="MaxTracerLength"/> bytes of valid UTF-8.
/// </summary>
/// <remarks>
/// The buffer must be at least <see cref="BufferSize"/> bytes, or at least as long as the unchecked header parts
/// plus two bytes. Checked appends never go past <see cref="MaxTracerLength"/> - 1, which keeps room for the closing
/// <c>:</c>; the byte after that is for the echo's newline.
/// </remarks>
internal unsafe ref struct TracerWriter
{
    /// <summary>sysdig captures at most this many bytes of a /dev/null write.</summary>
    internal const int MaxTracerLength = 4096;

    /// <summary>The size of a buffer that can hold any tracer plus the echo's newline.</summary>
    internal const int BufferSize = MaxTracerLength + 1;

    /// <summary>Tags are capped so that arguments always keep most of the budget.</summary>
    internal const int MaxTagsLength = 1024;

    /// <summary>Argument names are capped so that one name cannot take the whole budget.</summary>
    internal const int MaxNameLength = 256;

    private readonly byte* _start;
    private readonly byte* _limit;
    private byte* _pos;

    // Set when an argument or value did not fit whole: no later argument may follow it.
    private bool _full;

    internal TracerWriter(byte* buffer, int position)
    {
        _start = buffer;
        _pos = buffer + position;
        _limit = buffer + (MaxTracerLength - 1);
    }

    internal readonly int Length => (int)(_pos - _start);

    /// <summary>Whether an argument was dropped or a value cut: the arguments that follow must be dropped too.</summary>
    internal readonly bool Full => _full;

    private readonly long Remaining => _limit - _pos;

    /// <summary>Unchecked: for the fixed parts of a tracer, which fit by construction.</summary>
    internal void Put(byte b) => *_pos++ = b;

    /// <summary>Unchecked: for the fixed parts of a tracer, which fit by construction.</summary>
    internal void Put(byte[] bytes)
    {
        for (int i = 0; i < bytes.Length; i++)
        {
            _pos[i] = bytes[i];
        }

        _pos += bytes.Length;
    }

    /// <summary>Unchecked: writes <c>t</c> for 0, <c>p</c> for -1, otherwise the positive number.</summary>
    internal void PutId(long id)
    {
        if (id == 0)
        {
            Put((byte)'t');
        }
        else if (id < 0)
        {
            Put((byte)'p');
        }
        else
        {
            PutDigits((ulong)id);
        }
    }

    /// <summary>Writes the closing <c>:</c> into the byte that checked appends always leave free.</summary>
    internal void Close() => *_pos++ = (byte)':';

    /// <summary>Appends <paramref name="bytes"/> (already sanitised ASCII/UTF-8) if it fits entirely.</summary>
    internal bool TryAppend(byte[] bytes)
    {
        if (bytes.Length > Remaining)
        {
            return false;
        }

        Put(bytes);
        return true;
    }

    /// <summary>Appends a plain ASCII literal such as <c>null</c> if it fits entirely.</summary>
    internal void AppendLiteral(string ascii)
    {
        if (ascii.Length > Remaining)
        {
            _full = true;
            return;
        }

        for (int i = 0; i < ascii.Length; i++)
        {
            *_pos++ = (byte)ascii[i];
        }
    }

    /// <summary>Starts an argument: <c>,</c> unless it is the first, then the sanitised name and <c>=</c>.</summary>
    /// <returns><see langword="false"/> (and nothing written) when the name does not fit.</returns>
    internal bool BeginArgument(string? name, bool first)
    {
        byte* mark = _pos;
        byte* limit = _limit;
        if (!first)
        {
            if (_pos >= limit)
            {
                _full = true;
                return false;
            }

            *_pos++ = (byte)',';
        }

        byte* nameLimit = _pos + MaxNameLength < limit ? _pos + MaxNameLength : limit;
        if (string.IsNullOrEmpty(name))
        {
            // An empty name would make the argument unreadable in sysdig filters.
            name = "_";
        }

        // A name longer than the cap is cut at a character boundary; one that reaches the tracer's end is dropped.
        bool whole = AppendSanitized(name, 0, name!.Length, SanitizeMode.Name, nameLimit);
        if ((!whole && nameLimit == limit) || _pos >= limit)
        {
            _pos = mark;
            _full = true;
            return false;
        }

        *_pos++ = (byte)'=';
        return true;
    }

    /// <summary>Starts an argument whose <c>name=</c> bytes are precomputed.</summary>
    internal bool BeginArgument(byte[] nameAndEquals, bool first)
    {
        if (nameAndEquals.Length + (first ? 0 : 1) > Remaining)
        {
            _full = true;
            return false;
        }

        if (!first)
        {
            *_pos++ = (byte)',';
        }

        Put(nameAndEquals);
        return true;
    }

    internal void AppendInt64(long value)
    {
        if (value < 0)
        {
            AppendDigits(unchecked((ulong)(-(value + 1)) + 1), negative: true);
        }
        else
        {
            AppendDigits((ulong)value, negative: false);
        }
    }

    internal void AppendUInt64(ulong value) => AppendDigits(value, negative: false);

    private void AppendDigits(ulong value, bool negative)
    {
        int count = CountDigits(value) + (negative ? 1 : 0);
        if (count > Remaining)
        {
            _full = true;
            return;
        }

        if (negative)
        {
            *_pos++ = (byte)'-';
        }

        PutDigits(value);
    }

    private void PutDigits(ulong value)
    {
        int count = CountDigits(value);
        byte* p = _pos + count;
        do
        {
            ulong quotient = value / 10;
            *--p = (byte)('0' + (value - (quotient * 10)));
            value = quotient;
        }
        while (value != 0);

        _pos += count;
    }

    internal static int CountDigits(ulong value)
    {
        int digits = 1;
        while (value >= 10)
        {
            value /= 10;
            digits++;
        }

        return digits;
    }

    /// <summary>Appends an argument value, escaped; cut at a character boundary when the budget runs out.</summary>
    internal void AppendValue(string value) => _full |= !AppendSanitized(value, 0, value.Length, SanitizeMode.Value, _limit);

    internal void AppendValue(char value)
    {
        char* one = stackalloc char[1];
        one[0] = value;
        _full |= !AppendSanitized(one, 1, SanitizeMode.Value, _limit);
    }

    /// <summary>Appends valid UTF-8 produced by a formatter as an argument value, escaped.</summary>
    internal void AppendValueUtf8(byte* source, int count)
    {
        byte* limit = _limit;
        int i = 0;
        while (i < count)
        {
            byte b = source[i];
            if (b < 0x80)
            {
                if (b == '\\' || b == ',' || b == ':' || b == '=')
                {
                    if (_pos + 2 > limit)
                    {
                        _full = true;
                        return;
                    }

                    *_pos++ = (byte)'\\';
                    *_pos++ = b;
                }
                else
                {
                    if (_pos + 1 > limit)
                    {
                        _full = true;
                        return;
                    }

                    *_pos++ = b < 0x20 && b != '\t' ? (byte)' ' : b;
                }

                i++;
                continue;
            }

            int sequence = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : 2;
            if (i + sequence > count || _pos + sequence > limit)
            {
                _full = true;
                return;
            }

            for (int k = 0; k < sequence; k++)
            {
                *_pos++ = source[i + k];
            }

            i += sequence;
        }
    }

    /// <summary>
    /// Appends the dotted tag list: each component sanitised, empty components written as <c>_</c>, and, unless
    /// <paramref name="continuation"/>, a first component starting with <c>0</c> prefixed with <c>_</c>. A
    /// continuation is written with a leading <c>.</c>, or not at all when the budget has no room for a component.
    /// Stops at a character boundary once <see cref="MaxTagsLength"/> bytes are used.
    /// </summary>
    internal void AppendTags(string? tags, bool continuation, int budget = MaxTagsLength)
    {
        byte* limit = _pos + budget < _limit ? _pos + budget : _limit;
        string text = tags ?? string.Empty;
        int start = 0;

        // A continuation (a child's tags after its parent's) starts with a separator, within the budget.
        bool first = !continuation;
        while (true)
        {
            int end = text.IndexOf('.', start);
            if (end < 0)
            {
                end = text.Length;
            }

            if (!first)
            {
                // A separator is only worth writing if the component after it gets at least one byte.
                if (_pos + 2 > limit)
                {
                    return;
                }

                *_pos++ = (byte)'.';
            }

            byte* componentStart = _pos;
            if (end == start)
            {
                if (_pos >= limit)
                {
                    return;
                }

                *_pos++ = (byte)'_';
            }
            else
            {
                if (first && !continuation && TagSyntax.IsMisreadAsFirst(text[start]))
                {
                    if (_pos >= limit)
                    {
                        return;
                    }

                    *_pos++ = (byte)'_';
                }

                if (!AppendSanitized(text, start, end, SanitizeMode.Tag, limit))
                {
                    // Its first character did not fit (a multi-byte one): no separator before an empty tag.
                    if (_pos == componentStart && !first)
                    {
                        _pos--;
                    }

                    return;
                }
            }

            if (end == text.Length)
            {
                return;
            }

            first = false;
            start = end + 1;
        }
    }

    private bool AppendSanitized(string? text, int from, int to, SanitizeMode mode, byte* limit)
    {
        if (text == null)
        {
            return true;
        }

        fixed (char* chars = text)
        {
            return AppendSanitized(chars + from, to - from, mode, limit);
        }
    }

    /// <summary>Encodes UTF-16 as UTF-8 with the rules of <paramref name="mode"/>; false when cut short by the limit.</summary>
    private bool AppendSanitized(char* chars, int count, SanitizeMode mode, byte* limit)
    {
        byte* pos = _pos;
        for (int i = 0; i < count; i++)
        {
            uint c = chars[i];
            if (c < 0x80)
            {
                byte b = (byte)c;
                if (mode == SanitizeMode.Value)
                {
                    if (b == '\\' || b == ',' || b == ':' || b == '=')
                    {
                        if (pos + 2 > limit)
                        {
                            _pos = pos;
                            return false;
                        }

                        *pos++ = (byte)'\\';
                    }
                    else if (b < 0x20 && b != '\t')
                    {
                        b = (byte)' ';
                    }
                }
                else if (TagSyntax.IsReserved((char)b) || (mode == SanitizeMode.Tag ? b == '.' : b == ','))
                {
                    b = (byte)'_';
                }

                if (pos + 1 > limit)
                {
                    _pos = pos;
                    return false;
                }

                *pos++ = b;
            }
            else if (c < 0x800)
            {
                if (pos + 2 > limit)
                {
                    _pos = pos;
                    return false;
                }

                *pos++ = (byte)(0xC0 | (c >> 6));
                *pos++ = (byte)(0x80 | (c & 0x3F));
            }
            else if (c - 0xD800 < 0x800)
            {
                if (c < 0xDC00 && i + 1 < count && (uint)(chars[i + 1] - 0xDC00) < 0x400)
                {
                    if (pos + 4 > limit)
                    {
                        _pos = pos;
                        return false;
                    }

                    uint scalar = 0x10000 + ((c - 0xD800) << 10) + (chars[i + 1] - 0xDC00u);
                    *pos++ = (byte)(0xF0 | (scalar >> 18));
                    *pos++ = (byte)(0x80 | ((scalar >> 12) & 0x3F));
                    *pos++ = (byte)(0x80 | ((scalar >> 6) & 0x3F));
                    *pos++ = (byte)(0x80 | (scalar & 0x3F));
                    i++;
                }
                else if (mode == SanitizeMode.Value)
                {
                    // A lone surrogate has no UTF-8 form: U+FFFD, as Encoding.UTF8 does.
                    if (pos + 3 > limit)
                    {
                        _pos = pos;
                        return false;
                    }

                    *pos++ = 0xEF;
                    *pos++ = 0xBF;
                    *pos++ = 0xBD;
                }
                else
                {
                    if (pos + 1 > limit)
                    {
                        _pos = pos;
                        return false;
                    }

                    *pos++ = (byte)'_';
                }
            }
            else
            {
                if (pos + 3 > limit)
                {
                    _pos = pos;
                    return false;
                }

                *pos++ = (byte)(0xE0 | (c >> 12));
                *pos++ = (byte)(0x80 | ((c >> 6) & 0x3F));
                *pos++ = (byte)(0x80 | (c & 0x3F));
            }
        }

        _pos = pos;
        return true;
    }

    private enum SanitizeMode
    {
        Tag,
        Name,
        Value,
    }
}
