using System.ComponentModel.DataAnnotations;

namespace Onshi.Server.Auth;

/// <summary>Configuration section "Portal".</summary>
public sealed class PortalOptions
{
    public const string Section = "Portal";

    /// <summary>A session unused this long ends (sliding); 15 minutes suits a shared 資格確認端末 at a counter.</summary>
    [Range(1, 240)]
    public int IdleTimeoutMinutes { get; set; } = 15;

    /// <summary>A session ends this long after login however active it is.</summary>
    [Range(1, 24)]
    public int AbsoluteLifetimeHours { get; set; } = 8;
}
