using System.Buffers;
using System.Text;

namespace Onshi.Server.Import;

/// <summary>
/// Streaming RFC 4180 reader: comma separator, CRLF or LF line ends, fields optionally in double quotes with ""
/// for a quote and line breaks allowed inside quotes. Reads a fixed-size buffer at a time and reuses one record
/// object, so memory does not grow with the file. A quote inside an unquoted field, text after a closing quote,
/// or a file ending inside quotes is a format error with the line number.
/// </summary>
public sealed class CsvReader : IDisposable
{
    private readonly StreamReader _reader;
    private static readonly SearchValues<char> Specials = SearchValues.Create(",\r\n\"");
    private readonly char[] _buffer = new char[64 * 1024];
    private int _position;
    private int _length;
    private long _line = 1;

    public CsvReader(Stream stream)
    {
        _reader = new StreamReader(stream, new UTF8Encoding(false, throwOnInvalidBytes: true), detectEncodingFromByteOrderMarks: true, bufferSize: 64 * 1024);
    }

    /// <summary>Bytes consumed from the stream so far (for progress).</summary>
    public long BytesRead => _reader.BaseStream.CanSeek ? _reader.BaseStream.Position : 0;

    public CsvRecord Record { get; } = new();

    /// <summary>Reads the next record into <see cref="Record"/>; false at the end of the file.</summary>
    /// <exception cref="CsvFormatException">Broken quoting or invalid UTF-8.</exception>
    public bool Read()
    {
        var record = Record;
        record.Clear();
        record.Line = _line;
        if (!EnsureData())
        {
            return false;
        }

        var quoted = false;
        var afterQuote = false;
        var fieldHasContent = false;
        while (true)
        {
            if (_position >= _length && !EnsureData())
            {
                if (quoted)
                {
                    throw new CsvFormatException(record.Line, "csv.unterminated_quote", "ダブルクォートで始まった項目がファイルの終わりまで閉じられていません。");
                }

                record.EndField();
                return true;
            }

            // Plain text is copied a run at a time up to the next character that means something (vectorised
            // search), instead of one character per loop turn.
            var rest = _buffer.AsSpan(_position, _length - _position);
            if (quoted)
            {
                var stop = rest.IndexOfAny('"', '\n');
                if (stop < 0)
                {
                    record.Append(rest);
                    _position = _length;
                    continue;
                }

                record.Append(rest[..stop]);
                _position += stop + 1;
                if (rest[stop] == '\n')
                {
                    _line++;
                    record.Append('\n');
                    continue;
                }

                if (_position >= _length)
                {
                    EnsureData();
                }

                if (_position < _length && _buffer[_position] == '"')
                {
                    record.Append('"');
                    _position++;
                }
                else
                {
                    quoted = false;
                    afterQuote = true;
                }

                continue;
            }

            var special = rest.IndexOfAny(Specials);
            var text = special < 0 ? rest : rest[..special];
            if (text.Length > 0)
            {
                if (afterQuote)
                {
                    throw new CsvFormatException(_line, "csv.text_after_quote", "閉じたダブルクォートの後に文字があります。");
                }

                record.Append(text);
                fieldHasContent = true;
            }

            if (special < 0)
            {
                _position = _length;
                continue;
            }

            _position += special + 1;
            switch (rest[special])
            {
                case ',':
                    record.EndField();
                    afterQuote = false;
                    fieldHasContent = false;
                    break;
                case '\r':
                    break;
                case '\n':
                    _line++;
                    record.EndField();
                    return true;
                default: // '"'
                    if (fieldHasContent || afterQuote)
                    {
                        throw new CsvFormatException(_line, "csv.stray_quote", "ダブルクォートで囲まれていない項目の途中にダブルクォートがあります（項目全体を \"…\" で囲み、中の \" は \"\" と書いてください）。");
                    }

                    quoted = true;
                    fieldHasContent = true;
                    break;
            }
        }
    }

    private bool EnsureData()
    {
        if (_position < _length)
        {
            return true;
        }

        try
        {
            _length = _reader.Read(_buffer, 0, _buffer.Length);
        }
        catch (DecoderFallbackException)
        {
            throw new CsvFormatException(_line, "csv.invalid_utf8", "UTF-8 として読めない文字があります。ファイルを UTF-8 で保存してください。");
        }

        _position = 0;
        return _length > 0;
    }

    public void Dispose() => _reader.Dispose();
}

/// <summary>One record: the unescaped text of every field in one reused buffer.</summary>
public sealed class CsvRecord
{
    private char[] _chars = new char[1024];
    private int _used;
    private int[] _ends = new int[64];
    private int _fieldStart;

    /// <summary>1-based line number where the record starts.</summary>
    public long Line { get; internal set; }

    public int Count { get; private set; }

    public ReadOnlySpan<char> this[int index] =>
        index < Count ? _chars.AsSpan(index == 0 ? 0 : _ends[index - 1], _ends[index] - (index == 0 ? 0 : _ends[index - 1])) : [];

    /// <summary>True for a record that is one empty field (a blank line).</summary>
    public bool IsBlank => Count == 1 && _ends[0] == 0;

    internal void Clear()
    {
        _used = 0;
        _fieldStart = 0;
        Count = 0;
    }

    internal void Append(char c)
    {
        if (_used == _chars.Length)
        {
            if (_chars.Length >= 1 << 20)
            {
                throw new CsvFormatException(Line, "csv.record_too_long", "1行が長すぎます（1MB以上）。引用符の閉じ忘れがないか確認してください。");
            }

            Array.Resize(ref _chars, _chars.Length * 2);
        }

        _chars[_used++] = c;
    }

    internal void Append(ReadOnlySpan<char> text)
    {
        if (_used + text.Length > _chars.Length)
        {
            if (_used + text.Length > 1 << 20)
            {
                throw new CsvFormatException(Line, "csv.record_too_long", "1行が長すぎます（1MB以上）。引用符の閉じ忘れがないか確認してください。");
            }

            Array.Resize(ref _chars, Math.Max(_chars.Length * 2, _used + text.Length));
        }

        text.CopyTo(_chars.AsSpan(_used));
        _used += text.Length;
    }

    internal void EndField()
    {
        if (Count == _ends.Length)
        {
            Array.Resize(ref _ends, _ends.Length * 2);
        }

        _ends[Count++] = _used;
        _fieldStart = _used;
    }
}

/// <summary>The file is not well-formed CSV; the whole import stops here (nothing was written).</summary>
public sealed class CsvFormatException(long line, string code, string message) : Exception(message)
{
    public long Line { get; } = line;

    public string Code { get; } = code;

    public CsvFormatException() : this(0, "csv.invalid", "CSVの形式が正しくありません。")
    {
    }

    public CsvFormatException(string message) : this(0, "csv.invalid", message)
    {
    }

    public CsvFormatException(string message, Exception innerException) : this(0, "csv.invalid", message) => _ = innerException;
}
