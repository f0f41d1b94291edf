using Onshi.Jpki;
using Onshi.Server.Settings;

namespace Onshi.Server.Challenges;

/// <summary>
/// 利用目的 for people (Japanese names) and whether an institution enabled it. The wire tokens and their mapping are
/// Onshi.AppProtocol.WirePurposes.
/// </summary>
public static class Purposes
{
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
        [.. WirePurposes.All.Where(p => IsEnabled(settings, p)).Select(WirePurposes.ToWire)];
}
