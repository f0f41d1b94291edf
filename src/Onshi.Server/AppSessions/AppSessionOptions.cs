using System.ComponentModel.DataAnnotations;

namespace Onshi.Server.AppSessions;

/// <summary>Configuration section "AppSessions".</summary>
public sealed class AppSessionOptions
{
    public const string Section = "AppSessions";

    /// <summary>A session unused this long ends: a device left on a counter must not stay logged in (NIST 800-63B §7.2 idea).</summary>
    [Range(1, 240)]
    public int IdleTimeoutMinutes { get; set; } = 15;

    /// <summary>A session ends this long after login however active it is (one working shift).</summary>
    [Range(1, 24)]
    public int AbsoluteLifetimeHours { get; set; } = 8;

    /// <summary>
    /// The last-seen time is written at most this often, so most requests cost no write; the idle timeout is therefore
    /// exact to within this many seconds.
    /// </summary>
    [Range(0, 300)]
    public int TouchIntervalSeconds { get; set; } = 30;
}
