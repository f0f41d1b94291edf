using Onshi.Jpki;

namespace Onshi.AppProtocol;

/// <summary>
/// 利用目的 on the wire (docs/app-api.md: outpatient, homeVisit, online). The message the card signs uses Onshi.Jpki's own
/// tokens (<see cref="AuthenticationMessage.ToToken"/>, <c>home-visit</c>): a different, frozen format, reached only
/// through <see cref="AuthenticationPurpose"/>, which this class maps to and from.
/// </summary>
public static class WirePurposes
{
    public const string Outpatient = "outpatient";
    public const string HomeVisit = "homeVisit";
    public const string Online = "online";

    /// <summary>All purposes in display order.</summary>
    public static IReadOnlyList<AuthenticationPurpose> All { get; } = [AuthenticationPurpose.Outpatient, AuthenticationPurpose.HomeVisit, AuthenticationPurpose.Online];

    /// <summary>The wire tokens of <see cref="All"/>, in the same order.</summary>
    public static IReadOnlyList<string> Tokens { get; } = [Outpatient, HomeVisit, Online];

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
}

/// <summary>The information types a patient can consent to, in the order the consent screens ask them.</summary>
public static class WireInformationTypes
{
    public const string Pharmacy = "pharmacy";
    public const string Diagnosis = "diagnosis";
    public const string Checkup = "checkup";
    public const string Operation = "operation";

    public static IReadOnlyList<string> All { get; } = [Pharmacy, Diagnosis, Checkup, Operation];
}

/// <summary>本人確認の方法 on the wire.</summary>
public static class WireMethods
{
    public const string Pin = "pin";
    public const string Visual = "visual";

    public static bool IsKnown(string? wire) => wire is Pin or Visual;
}

/// <summary>
/// 処方箋の発行形態 the patient chose (OQSCD017 処方箋発行形態: 1 電子処方箋, 2 紙の処方箋 — the server maps these tokens to the code).
/// </summary>
public static class WirePrescriptionIssues
{
    public const string Paper = "paper";
    public const string Electronic = "electronic";

    /// <summary>In the order the question offers them (紙 first, as the face reader's screen does — 推定).</summary>
    public static IReadOnlyList<string> All { get; } = [Paper, Electronic];

    public static bool IsKnown(string? wire) => wire is Paper or Electronic;
}
