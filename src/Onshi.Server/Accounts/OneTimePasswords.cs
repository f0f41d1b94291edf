using System.Security.Cryptography;

namespace Onshi.Server.Accounts;

/// <summary>
/// Initial and reset passwords: chosen by the server, shown once to the administrator, usable only to set a real
/// password. 16 characters from a 31-letter alphabet without look-alikes (no 0/o, 1/l/i) give about 79 bits.
/// </summary>
public static class OneTimePasswords
{
    private const string Alphabet = "abcdefghjkmnpqrstuvwxyz23456789";

    public static string Generate()
    {
        Span<char> chars = stackalloc char[19];
        var next = 0;
        for (var i = 0; i < 16; i++)
        {
            if (i > 0 && i % 4 == 0)
            {
                chars[next++] = '-';
            }

            chars[next++] = Alphabet[RandomNumberGenerator.GetInt32(Alphabet.Length)];
        }

        return new string(chars);
    }
}
