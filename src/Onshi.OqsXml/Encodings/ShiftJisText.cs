using System.Collections.Concurrent;
using System.Text;

namespace Onshi.OqsXml.Encodings;

/// <summary>
/// Makes a value writable in Shift_JIS (CP932) without silently losing characters.
/// 1. The classic JIS X 0208 ↔ CP932 mapping differences (〜 U+301C, − U+2212, ‖ U+2016, ¢, £, ¬, — U+2014)
///    are mapped to the CP932 code point of the same JIS character: that is the same glyph, not a loss.
/// 2. Any other character CP932 cannot hold (e.g. 𠮷, é, emoji) becomes one 〓 (geta mark, U+3013) per character,
///    and is reported so the caller can flag the response; the writer never emits '?'.
/// </summary>
internal static class ShiftJisText
{
    public const char Geta = '\u3013';

    private const int MaxCachedRunes = 65_536;

    private static readonly ConcurrentDictionary<int, bool> Representable = new();

    public static string Prepare(string value, Action<int, string> onSubstituted)
    {
        var allAscii = true;
        foreach (var c in value)
        {
            if (c >= 0x80)
            {
                allAscii = false;
                break;
            }
        }

        if (allAscii)
        {
            return value;
        }

        var builder = new StringBuilder(value.Length);
        var index = 0;
        foreach (var rune in value.EnumerateRunes())
        {
            var mapped = MapJisDifference(rune.Value);
            if (IsRepresentable(mapped))
            {
                builder.Append(char.ConvertFromUtf32(mapped));
            }
            else
            {
                onSubstituted(index, rune.ToString());
                builder.Append(Geta);
            }

            index += rune.Utf16SequenceLength;
        }

        return builder.ToString();
    }

    private static int MapJisDifference(int codePoint) => codePoint switch
    {
        0x301C => 0xFF5E, // WAVE DASH → FULLWIDTH TILDE
        0x2212 => 0xFF0D, // MINUS SIGN → FULLWIDTH HYPHEN-MINUS
        0x2016 => 0x2225, // DOUBLE VERTICAL LINE → PARALLEL TO
        0x00A2 => 0xFFE0, // CENT SIGN → FULLWIDTH CENT SIGN
        0x00A3 => 0xFFE1, // POUND SIGN → FULLWIDTH POUND SIGN
        0x00AC => 0xFFE2, // NOT SIGN → FULLWIDTH NOT SIGN
        0x2014 => 0x2015, // EM DASH → HORIZONTAL BAR
        _ => codePoint,
    };

    private static bool IsRepresentable(int codePoint)
    {
        if (codePoint < 0x80)
        {
            return true;
        }

        if (Representable.TryGetValue(codePoint, out var known))
        {
            return known;
        }

        // Encode with a replacement fallback and decode again: only an exact round trip counts, which also
        // rules out any best-fit mapping (é → e) an encoder might apply.
        var text = char.ConvertFromUtf32(codePoint);
        var bytes = OqsEncodings.ProbeShiftJis.GetBytes(text);
        var result = OqsEncodings.ProbeShiftJis.GetString(bytes) == text;
        if (Representable.Count < MaxCachedRunes)
        {
            Representable[codePoint] = result;
        }

        return result;
    }
}
