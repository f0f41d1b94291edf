namespace Onshi.Server.Tests.Infrastructure;

/// <summary>Input as staff type it at a Japanese keyboard.</summary>
public static class StaffTyping
{
    /// <summary>The text with every printable ASCII character in its full-width form (IME on: ０１２, Ａ, －).</summary>
    public static string FullWidth(string text) => new([.. text.Select(c => c is >= '!' and <= '~' ? (char)(c + 0xFEE0) : c)]);
}
