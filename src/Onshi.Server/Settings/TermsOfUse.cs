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

    /// <summary>The version as people read it (onshi-oqs-terms-2025-06 → 2025年6月版); the id stays for records and forms.</summary>
    public string Label => LabelOf(Version);

    public static string LabelOf(string version)
    {
        var match = System.Text.RegularExpressions.Regex.Match(version ?? "", @"(\d{4})-(\d{2})$");
        return match.Success
            ? $"{match.Groups[1].Value}年{int.Parse(match.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture)}月版"
            : version ?? "";
    }

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
