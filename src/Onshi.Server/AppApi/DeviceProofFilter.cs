using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Onshi.Server.Accounts;
using Onshi.Server.ActivationCodes;
using Onshi.Server.AppSessions;
using Onshi.Server.Common;
using Onshi.Server.Data;
using Onshi.Server.Devices;

namespace Onshi.Server.AppApi;

/// <summary>
/// Endpoint filter of the /api/app/v1 group: checks the DPoP-style proof of possession of the device key, then (as the
/// endpoint requires) the active device and the staff session, in one database query. The rules and their reasons are
/// in Devices/readme.md.
/// </summary>
public sealed class DeviceProofFilter(AppDbContext db, ProofLedger ledger, TimeProvider time, IOptions<DeviceProofOptions> proofOptions, IOptions<AppSessionOptions> sessionOptions) : IEndpointFilter
{
    public const string HeaderName = "DPoP";
    private const string AuthorizationScheme = "DPoP ";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var endpoint = http.GetEndpoint();
        var requirement = endpoint?.Metadata.GetMetadata<ProofRequirementMetadata>()?.Requirement ?? ProofRequirement.Session;
        var defer = endpoint?.Metadata.GetMetadata<RecordsProofInOwnTransaction>() is not null;
        var now = time.GetUtcNow();
        var cancellationToken = http.RequestAborted;

        var headers = http.Request.Headers[HeaderName];
        var proof = headers.Count == 1 ? DeviceProofParser.TryParse(headers[0]) : null;
        if (proof is null
            || !string.Equals(proof.Htm, http.Request.Method, StringComparison.Ordinal)
            || !string.Equals(proof.Htu, (http.Request.PathBase + http.Request.Path).Value, StringComparison.Ordinal)
            || Math.Abs(now.ToUnixTimeSeconds() - proof.IssuedAtSeconds) > proofOptions.Value.IssuedAtWindowSeconds)
        {
            return AppProblems.Result(DeviceRefusals.ProofInvalid);
        }

        var authorizations = http.Request.Headers.Authorization;
        string? token = null;
        if (authorizations.Count > 0)
        {
            var value = authorizations.Count == 1 ? authorizations[0] : null;
            if (value is null || !value.StartsWith(AuthorizationScheme, StringComparison.Ordinal) || value.Length > AuthorizationScheme.Length + 128)
            {
                return AppProblems.Result(requirement == ProofRequirement.Session ? AppSessionRefusals.SessionExpired : DeviceRefusals.ProofInvalid);
            }

            token = value[AuthorizationScheme.Length..];

            // ath binds the proof to this token (RFC 9449 §4.3): a stolen proof cannot carry another session.
            if (proof.AccessTokenHash is null || !FixedTimeEquals(proof.AccessTokenHash, Base64Url.EncodeToString(SHA256.HashData(Encoding.ASCII.GetBytes(token)))))
            {
                return AppProblems.Result(DeviceRefusals.ProofInvalid);
            }
        }
        else if (proof.AccessTokenHash is not null)
        {
            return AppProblems.Result(DeviceRefusals.ProofInvalid);
        }

        // SQLite: one pooled connection for the whole request instead of one per query. Microsoft.Data.Sqlite's pool
        // takes a lock on every open and close, and with four queries per confirmation that lock was the most
        // contended point of the hot path (docs/performance.md). The context closes it when the request's scope ends.
        if (requirement != ProofRequirement.AnyKey && db.Database.IsSqlite())
        {
            await db.Database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        }

        AppDevice? device = null;
        AppSessionContext? session = null;
        switch (requirement)
        {
            case ProofRequirement.Session:
                if (token is null)
                {
                    return AppProblems.Result(AppSessionRefusals.SessionExpired);
                }

                var (sessionRefusal, found) = await FindSessionAsync(proof, token, now, cancellationToken).ConfigureAwait(false);
                if (sessionRefusal is not null)
                {
                    return AppProblems.Result(sessionRefusal);
                }

                (device, session) = found;
                break;
            case ProofRequirement.ActiveDevice:
                var (deviceRefusal, active) = await FindDeviceAsync(proof, cancellationToken).ConfigureAwait(false);
                if (deviceRefusal is not null)
                {
                    return AppProblems.Result(deviceRefusal);
                }

                device = active;
                break;
            default:
                break;
        }

        // Written now, before the endpoint acts, unless the endpoint writes the ledger inside its own commit.
        ledger.Note(proof, session is { NeedsTouch: true } ? session.Id : null, now);
        if (!defer && !await ledger.FlushAsync(db, cancellationToken).ConfigureAwait(false))
        {
            return AppProblems.Result(DeviceRefusals.ProofReplayed);
        }

        http.Features.Set(new AppRequest { Proof = proof, Device = device, Session = session });
        return await next(context).ConfigureAwait(false);
    }

    private async Task<OperationResult<AppDevice>> FindDeviceAsync(DeviceProof proof, CancellationToken cancellationToken)
    {
        var thumbprint = proof.Key.Thumbprint;
        var found = await db.Devices.IgnoreQueryFilters().AsNoTracking()
            .Where(d => d.KeyThumbprint == thumbprint)
            .Join(db.ActivationCodes.IgnoreQueryFilters(), d => d.ActivationCodeId, c => c.Id, (d, c) => new { Device = d, CodeStatus = c.Status })
            .Join(db.Institutions, x => x.Device.InstitutionId, i => i.Id, (x, i) => new { x.Device, x.CodeStatus, i.Code, i.Name })
            .SingleOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        if (found is null)
        {
            return OperationResult<AppDevice>.Fail(DeviceRefusals.DeviceUnknown);
        }

        if (found.Device.Status != DeviceStatus.Active || found.CodeStatus != ActivationCodeStatus.InUse)
        {
            return OperationResult<AppDevice>.Fail(DeviceRefusals.DeviceInvalidated);
        }

        return OperationResult<AppDevice>.Ok(new AppDevice(found.Device.Id, found.Device.InstitutionId, found.Code, found.Name, found.Device.Label, found.Device.KeyThumbprint));
    }

    // A compiled query belongs to one EF model, and a process may hold two (SQLite and PostgreSQL, as the tests do).
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<Microsoft.EntityFrameworkCore.Metadata.IModel, Func<AppDbContext, byte[], CancellationToken, Task<SessionRow?>>> SessionQueries = [];

    /// <summary>
    /// Every request of a session runs this, so it is compiled once and reads only the columns the checks below and
    /// the endpoints use (not whole session, device and account rows). It is read from the database on every request,
    /// never cached: an ended session, an invalidated device or activation code, a stopped account must be refused
    /// at once by every server process (docs/scaling.md).
    /// </summary>
    private static Func<AppDbContext, byte[], CancellationToken, Task<SessionRow?>> SessionQuery(AppDbContext db) =>
        SessionQueries.GetValue(db.Model, _ => EF.CompileAsyncQuery((AppDbContext db, byte[] hash, CancellationToken _) => (
            from s in db.AppSessions
            where s.TokenHash == hash
            join d in db.Devices.IgnoreQueryFilters() on s.DeviceId equals d.Id
            join c in db.ActivationCodes.IgnoreQueryFilters() on d.ActivationCodeId equals c.Id
            join a in db.Accounts.IgnoreQueryFilters() on s.AccountId equals a.Id
            join i in db.Institutions on d.InstitutionId equals i.Id
            join st in db.InstitutionSettings.IgnoreQueryFilters() on d.InstitutionId equals st.InstitutionId
            select new SessionRow
            {
                SessionId = s.Id,
                AccountId = s.AccountId,
                AccountSecurityStamp = s.AccountSecurityStamp,
                LastSeenAt = s.LastSeenAt,
                ExpiresAt = s.ExpiresAt,
                EndedAt = s.EndedAt,
                DeviceId = d.Id,
                InstitutionId = d.InstitutionId,
                DeviceLabel = d.Label,
                KeyThumbprint = d.KeyThumbprint,
                DeviceStatus = d.Status,
                CodeStatus = c.Status,
                UserId = a.UserId,
                Name = a.Name,
                Role = a.Role,
                SecurityStamp = a.SecurityStamp,
                StoppedAt = a.StoppedAt,
                StartDate = a.StartDate,
                EndDate = a.EndDate,
                InstitutionCode = i.Code,
                InstitutionName = i.Name,
                Settings = st,
            }).AsNoTracking().SingleOrDefault()));

    private async Task<OperationResult<(AppDevice Device, AppSessionContext Session)>> FindSessionAsync(DeviceProof proof, string token, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var hash = AppSessionTokens.Hash(token);
        var found = await SessionQuery(db)(db, hash, cancellationToken).ConfigureAwait(false);
        if (found is null)
        {
            return OperationResult<(AppDevice, AppSessionContext)>.Fail(AppSessionRefusals.SessionExpired);
        }

        // The session belongs to the device whose key signed this proof, and to no other.
        if (!CryptographicOperations.FixedTimeEquals(found.KeyThumbprint, proof.Key.Thumbprint))
        {
            return OperationResult<(AppDevice, AppSessionContext)>.Fail(DeviceRefusals.ProofInvalid);
        }

        if (found.DeviceStatus != DeviceStatus.Active || found.CodeStatus != ActivationCodeStatus.InUse)
        {
            return OperationResult<(AppDevice, AppSessionContext)>.Fail(DeviceRefusals.DeviceInvalidated);
        }

        var options = sessionOptions.Value;
        var today = JapanTime.Today(time);
        if (found.EndedAt is not null
            || now >= found.ExpiresAt
            || now - found.LastSeenAt >= TimeSpan.FromMinutes(options.IdleTimeoutMinutes)
            || found.SecurityStamp != found.AccountSecurityStamp
            || found.StoppedAt is not null
            || !Account.IsWithinPeriod(found.StartDate, found.EndDate, today))
        {
            return OperationResult<(AppDevice, AppSessionContext)>.Fail(AppSessionRefusals.SessionExpired);
        }

        var device = new AppDevice(found.DeviceId, found.InstitutionId, found.InstitutionCode, found.InstitutionName, found.DeviceLabel, found.KeyThumbprint);
        var needsTouch = now - found.LastSeenAt >= TimeSpan.FromSeconds(options.TouchIntervalSeconds);
        return OperationResult<(AppDevice, AppSessionContext)>.Ok((device, new AppSessionContext(found.SessionId, found.AccountId, found.UserId, found.Name, found.Role, found.ExpiresAt, needsTouch, found.Settings)));
    }

    /// <summary>The columns of one staff session that a request needs (see <see cref="SessionQuery"/>).</summary>
    private sealed class SessionRow
    {
        public Guid SessionId { get; init; }

        public int AccountId { get; init; }

        public Guid AccountSecurityStamp { get; init; }

        public DateTimeOffset LastSeenAt { get; init; }

        public DateTimeOffset ExpiresAt { get; init; }

        public DateTimeOffset? EndedAt { get; init; }

        public Guid DeviceId { get; init; }

        public int InstitutionId { get; init; }

        public required string DeviceLabel { get; init; }

        public required byte[] KeyThumbprint { get; init; }

        public DeviceStatus DeviceStatus { get; init; }

        public ActivationCodeStatus CodeStatus { get; init; }

        public required string UserId { get; init; }

        public required string Name { get; init; }

        public AccountRole Role { get; init; }

        public Guid SecurityStamp { get; init; }

        public DateTimeOffset? StoppedAt { get; init; }

        public DateOnly StartDate { get; init; }

        public DateOnly? EndDate { get; init; }

        public required string InstitutionCode { get; init; }

        public required string InstitutionName { get; init; }

        public required Onshi.Server.Settings.InstitutionSettings Settings { get; init; }
    }

    private static bool FixedTimeEquals(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(a), Encoding.ASCII.GetBytes(b));
}

/// <summary>Endpoint metadata naming what <see cref="DeviceProofFilter"/> must establish.</summary>
public sealed record ProofRequirementMetadata(ProofRequirement Requirement);
