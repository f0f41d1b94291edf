using System.Reflection;

namespace Onshi.Server.Settings;

/// <summary>
/// オンライン資格確認等システム利用規約 for the 外来診療等(通常とは異なる動線) function, read from TermsOfUse.txt.
/// Its first line names the version; an agreement records that version, so a revised text needs a new agreement.
/// </summary>
public sealed class TermsOfUse
{
    private TermsOfUse(string version, string text)
    {
        Version = version;
        Text = text;
    }

    public static TermsOfUse Current { get; } = Load();

    public string Version { get; }

    public string Text { get; }

    private static TermsOfUse Load()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("Onshi.Server.Settings.TermsOfUse.txt")
            ?? throw new InvalidOperationException("The terms of use are missing from the assembly.");
        using var reader = new StreamReader(stream);
        var first = reader.ReadLine() ?? "";
        const string prefix = "version:";
        if (!first.StartsWith(prefix, StringComparison.Ordinal))
        {
            throw new InvalidOperationException("TermsOfUse.txt must start with a 'version:' line.");
        }

        return new TermsOfUse(first[prefix.Length..].Trim(), reader.ReadToEnd().Trim());
    }
}
