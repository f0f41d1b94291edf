using Onshi.Server.Accounts;

namespace Onshi.Server.AppSessions;

/// <summary>The live staff session of an app request, as established by the app API's proof filter.</summary>
public sealed record AppSessionContext(
    Guid Id,
    int AccountId,
    string UserId,
    string Name,
    AccountRole Role,
    DateTimeOffset ExpiresAt,
    bool NeedsTouch,
    Settings.InstitutionSettings Settings);
