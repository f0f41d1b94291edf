using System.Globalization;
using System.Net;
using System.Security.Claims;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Onshi.Server.Auth;
using Onshi.Server.Common;
using Onshi.Server.Data;

namespace Onshi.Server.Receipt;

/// <summary>Configuration section "Receipt".</summary>
public sealed class ReceiptOptions
{
    public const string Section = "Receipt";

    /// <summary>
    /// Accept machine credentials over plain HTTP from other hosts. Off by default: Basic credentials must travel over
    /// TLS. Plain HTTP is always accepted from loopback (a TLS-terminating proxy on the same host, or in-process tests).
    /// </summary>
    public bool AllowInsecureHttp { get; set; }

    /// <summary>Persons per bulk request, as the folder interface allows.</summary>
    [System.ComponentModel.DataAnnotations.Range(1, 100_000)]
    public int MaxBulkRows { get; set; } = 50_000;

    /// <summary>How often the bulk worker looks for queued jobs when nothing woke it.</summary>
    [System.ComponentModel.DataAnnotations.Range(50, 60_000)]
    public int WorkerPollMilliseconds { get; set; } = 1000;

    /// <summary>A job whose worker disappeared (crash, restart) is taken over after this long.</summary>
    [System.ComponentModel.DataAnnotations.Range(5, 3600)]
    public int JobLeaseSeconds { get; set; } = 120;
}

/// <summary>
/// HTTP Basic authentication of 連携アプリ用アカウント (client id : secret) for /api/receipt only. The rules and why
/// Basic was chosen over a token exchange are in readme.md.
/// </summary>
public sealed class MachineAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    AppDbContext db,
    TimeProvider time,
    IOptions<ReceiptOptions> receipt) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "OnshiMachine";
    public const string Policy = "ReceiptMachine";
    public const string MachineAccountIdType = "onshi:machine_account";
    private const string RefusalItem = "onshi:receipt_refusal";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            return Refuse(ReceiptRefusals.CredentialsInvalid, "no basic credentials");
        }

        if (!Request.IsHttps && !receipt.Value.AllowInsecureHttp && !IsLocal(Context.Connection.RemoteIpAddress))
        {
            return Refuse(ReceiptRefusals.HttpsRequired, "plain http from a remote host");
        }

        string clientId, secret;
        try
        {
            var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header[6..].Trim()));
            var colon = decoded.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                return Refuse(ReceiptRefusals.CredentialsInvalid, "malformed basic credentials");
            }

            (clientId, secret) = (decoded[..colon], decoded[(colon + 1)..]);
        }
        catch (FormatException)
        {
            return Refuse(ReceiptRefusals.CredentialsInvalid, "malformed basic credentials");
        }

        var account = clientId.Length > 40 ? null : await db.MachineAccounts.IgnoreQueryFilters().AsNoTracking()
            .Where(m => m.ClientId == clientId)
            .Select(m => new { m.Id, m.InstitutionId, InstitutionCode = m.Institution!.Code, m.SecretHash, m.StoppedAt, m.LastUsedAt, m.Label })
            .SingleOrDefaultAsync(Context.RequestAborted).ConfigureAwait(false);

        // Hash even for an unknown id, so the answer takes as long whether or not the id exists.
        var matches = MachineCredentials.Matches(account?.SecretHash ?? new byte[32], secret);
        var reason = account is null ? "unknown_client_id" : !matches ? "wrong_secret" : account.StoppedAt is not null ? "stopped" : null;
        if (reason is not null)
        {
            if (account is not null)
            {
                await RecordRefusalAsync(account.InstitutionId, account.Id, clientId, reason).ConfigureAwait(false);
            }

            return Refuse(ReceiptRefusals.CredentialsInvalid, reason);
        }

        var now = time.GetUtcNow();
        if (account!.LastUsedAt is null || now - account.LastUsedAt > TimeSpan.FromMinutes(1))
        {
            await db.MachineAccounts.IgnoreQueryFilters().Where(m => m.Id == account.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(m => m.LastUsedAt, now), Context.RequestAborted).ConfigureAwait(false);
        }

        var claims = new[]
        {
            new Claim(MachineAccountIdType, account.Id.ToString(CultureInfo.InvariantCulture)),

            // The same claim the portal uses, so AppDbContext's institution filter scopes every query of the request.
            new Claim(PortalClaims.InstitutionIdType, account.InstitutionId.ToString(CultureInfo.InvariantCulture)),
            new Claim(PortalClaims.InstitutionCode, account.InstitutionCode),
            new Claim(PortalClaims.UserId, clientId),
        };
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName)), SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var refusal = Context.Items[RefusalItem] as Refusal ?? ReceiptRefusals.CredentialsInvalid;
        if (ReceiptWire.Of(refusal).Status == StatusCodes.Status401Unauthorized)
        {
            Response.Headers.WWWAuthenticate = "Basic realm=\"onshi-receipt\", charset=\"UTF-8\"";
        }

        return ReceiptProblems.WriteAsync(Context, refusal);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        ReceiptProblems.WriteAsync(Context, ReceiptRefusals.CredentialsInvalid, StatusCodes.Status403Forbidden);

    private AuthenticateResult Refuse(Refusal refusal, string reason)
    {
        Context.Items[RefusalItem] = refusal;
        return AuthenticateResult.Fail(reason);
    }

    private async Task RecordRefusalAsync(int institutionId, int machineAccountId, string clientId, string reason)
    {
        db.AuditEntries.Add(new Audit.AuditEntry
        {
            OccurredAt = time.GetUtcNow(),
            InstitutionId = institutionId,
            Actor = clientId,
            Action = "machine_account.authentication_refused",
            Target = $"machine_account:{machineAccountId}",
            Detail = reason,
            Succeeded = false,
        });
        await db.SaveChangesAsync(Context.RequestAborted).ConfigureAwait(false);
    }

    private static bool IsLocal(IPAddress? remote) => remote is null || IPAddress.IsLoopback(remote);
}

/// <summary>Reads the machine principal of a request authenticated by <see cref="MachineAuthenticationHandler"/>.</summary>
public sealed record MachineCaller(int MachineAccountId, int InstitutionId, string InstitutionCode, string ClientId)
{
    public static MachineCaller From(ClaimsPrincipal user) => new(
        int.Parse(user.FindFirstValue(MachineAuthenticationHandler.MachineAccountIdType)!, CultureInfo.InvariantCulture),
        int.Parse(user.FindFirstValue(PortalClaims.InstitutionIdType)!, CultureInfo.InvariantCulture),
        user.FindFirstValue(PortalClaims.InstitutionCode)!,
        user.FindFirstValue(PortalClaims.UserId)!);

    public Actor ToActor() => new(null, InstitutionId, null, ClientId);

    public ReceiptRequester ToRequester() => ReceiptRequester.Machine(InstitutionId, MachineAccountId);
}

/// <summary>
/// Who asks for a レセコン operation: a 連携アプリ用アカウント (the XML/JSON interface) or a staff account in the portal
/// (一括照会, 照会番号登録 by hand). The same operations serve both; only the audit actor and the stored uploader differ.
/// </summary>
public sealed record ReceiptRequester(int InstitutionId, int? MachineAccountId, int? AccountId, Actor Actor)
{
    public static ReceiptRequester Machine(int institutionId, int machineAccountId) =>
        new(institutionId, machineAccountId, null, new Actor(null, institutionId, null, $"machine:{machineAccountId}"));

    /// <summary>A signed-in portal account (its institution is the one it belongs to).</summary>
    public static ReceiptRequester Staff(Actor actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return new(actor.InstitutionId!.Value, null, actor.AccountId!.Value, actor);
    }
}

/// <summary>problem+json for the レセコン API (RFC 9457) with the machine code and the wire code of the file interface.</summary>
public static class ReceiptProblems
{
    /// <summary>Writes <paramref name="refusal"/> with its table status, or <paramref name="status"/> (credentials that are valid but may not do this: 403).</summary>
    public static Task WriteAsync(HttpContext context, Refusal refusal, int? status = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(refusal);
        var wire = ReceiptWire.Of(refusal);
        context.Response.StatusCode = status ?? wire.Status;
        return context.Response.WriteAsJsonAsync(Body(refusal, wire, context.Response.StatusCode), (System.Text.Json.JsonSerializerOptions?)null, "application/problem+json");
    }

    public static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult Result(Refusal refusal)
    {
        ArgumentNullException.ThrowIfNull(refusal);
        var wire = ReceiptWire.Of(refusal);
        return TypedResults.Problem(detail: refusal.Message, statusCode: wire.Status, title: refusal.Code, type: "https://onshi.invalid/errors/" + refusal.Code,
            extensions: new Dictionary<string, object?> { ["code"] = refusal.Code, ["wireCode"] = wire.WireCode });
    }

    /// <summary>A refusal taken from an OQS validation error (the wire code is the library's ONSX####).</summary>
    public static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult Result(OqsXml.Errors.OqsError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return TypedResults.Problem(detail: error.Message, statusCode: StatusCodes.Status400BadRequest, title: error.MachineCode, type: "https://onshi.invalid/errors/" + error.MachineCode,
            extensions: new Dictionary<string, object?> { ["code"] = error.MachineCode, ["wireCode"] = error.WireCode, ["element"] = error.ElementPath });
    }

    private static Dictionary<string, object?> Body(Refusal refusal, ReceiptWire wire, int status) => new()
    {
        ["type"] = "https://onshi.invalid/errors/" + refusal.Code,
        ["title"] = refusal.Code,
        ["status"] = status,
        ["detail"] = refusal.Message,
        ["code"] = refusal.Code,
        ["wireCode"] = wire.WireCode,
    };
}
