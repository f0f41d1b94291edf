namespace Onshi.Server.Hosting;

/// <summary>
/// Response headers every page, API answer and asset carries. The portal has no scripts and no inline styles, so the
/// Content-Security-Policy allows only same-origin resources; nothing may frame us, open us as a popup peer, follow
/// a link back with our URL (URLs can carry ids), or use the device's camera, microphone, location and the like.
/// </summary>
public static class SecurityHeaders
{
    public const string ContentSecurityPolicy = "default-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'self'";

    public const string PermissionsPolicy = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), bluetooth=(), hid=(), display-capture=(), clipboard-read=(), interest-cohort=()";

    /// <summary>One year; sent only over HTTPS (RFC 6797 §7.2: HSTS over plain HTTP is ignored and would mislead).</summary>
    public const string StrictTransportSecurity = "max-age=31536000";

    public static IApplicationBuilder UseOnshiSecurityHeaders(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers.XFrameOptions = "DENY";
        headers["Permissions-Policy"] = PermissionsPolicy;
        headers["Cross-Origin-Opener-Policy"] = "same-origin";
        headers["Cross-Origin-Resource-Policy"] = "same-origin";
        if (context.Request.IsHttps)
        {
            headers.StrictTransportSecurity = StrictTransportSecurity;
        }

        await next(context).ConfigureAwait(false);
    });
}
