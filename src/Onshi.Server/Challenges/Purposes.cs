using Onshi.Jpki;
using Onshi.Server.Settings;

namespace Onshi.Server.Challenges;

/// <summary>
/// 利用目的 on the wire (docs/app-api.md: outpatient, homeVisit, online) and whether an institution enabled it.
/// The signed message uses Onshi.Jpki's own tokens (home-visit); this class is the only mapping.
/// </summary>
public static class Purposes
{
    public const string Outpatient = "outpatient";
    public const string HomeVisit = "homeVisit";
    public const string Online = "online";

    public static bool TryParse(string? wire, out AuthenticationPurpose purpose)
    {
        (var ok, purpose) = wire switch
        {
            Outpatient => (true, AuthenticationPurpose.Outpatient),
            HomeVisit => (true, AuthenticationPurpose.HomeVisit),
            Online => (true, AuthenticationPurpose.Online),
            _ => (false, default),
        };
        return ok;
    }

    public static string ToWire(AuthenticationPurpose purpose) => purpose switch
    {
        AuthenticationPurpose.Outpatient => Outpatient,
        AuthenticationPurpose.HomeVisit => HomeVisit,
        AuthenticationPurpose.Online => Online,
        _ => throw new ArgumentOutOfRangeException(nameof(purpose), purpose, null),
    };

    public static string Japanese(AuthenticationPurpose purpose) => purpose switch
    {
        AuthenticationPurpose.Outpatient => "外来診療等(通常とは異なる動線)",
        AuthenticationPurpose.HomeVisit => "訪問診療等",
        AuthenticationPurpose.Online => "オンライン診療等",
        _ => "不明",
    };

    public static bool IsEnabled(InstitutionSettings settings, AuthenticationPurpose purpose) => purpose switch
    {
        AuthenticationPurpose.Outpatient => settings.OutpatientFunction,
        AuthenticationPurpose.HomeVisit => settings.HomeVisitFunction,
        AuthenticationPurpose.Online => settings.OnlineCareFunction,
        _ => false,
    };

    public static IReadOnlyList<string> Enabled(InstitutionSettings settings) =>
        [.. new[] { AuthenticationPurpose.Outpatient, AuthenticationPurpose.HomeVisit, AuthenticationPurpose.Online }.Where(p => IsEnabled(settings, p)).Select(ToWire)];
}
