namespace Onshi.Card.Credentials;

/// <summary>The 12-digit 個人番号 (My Number) and its check digit (card-protocol.md §1).</summary>
public static class MyNumber
{
    /// <summary>True for 12 ASCII digits whose last digit is the check digit of the first 11.</summary>
    public static bool IsValid(string? value)
    {
        if (value is null || value.Length != 12 || !value.All(char.IsAsciiDigit))
        {
            return false;
        }

        return CheckDigit(value.AsSpan(0, 11)) == value[11] - '0';
    }

    /// <summary>Check digit over 11 digits: weights read right to left are 2..7 then 2..6; 11 − (sum mod 11), 0 when that is ≥ 10.</summary>
    public static int CheckDigit(ReadOnlySpan<char> first11)
    {
        if (first11.Length != 11)
        {
            throw new ArgumentException("The check digit covers exactly 11 digits.", nameof(first11));
        }

        var sum = 0;
        for (var n = 1; n <= 11; n++)
        {
            var digit = first11[11 - n] - '0';
            var weight = n <= 6 ? n + 1 : n - 5;
            sum += digit * weight;
        }

        var remainder = sum % 11;
        return remainder <= 1 ? 0 : 11 - remainder;
    }
}
