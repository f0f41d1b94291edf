namespace Onshi.Server.Data;

/// <summary>
/// The institution whose data the current unit of work may see. <see cref="AppDbContext"/> filters every
/// institution-owned table by it, so a page cannot forget the filter; with no institution, those tables look empty.
/// </summary>
public interface IInstitutionScope
{
    int? InstitutionId { get; }
}

/// <summary>Reads the institution from the signed-in portal user (or none, for anonymous requests and the CLI).</summary>
internal sealed class HttpInstitutionScope(IHttpContextAccessor accessor) : IInstitutionScope
{
    public int? InstitutionId => accessor.HttpContext?.User is { } user ? Auth.PortalClaims.InstitutionId(user) : null;
}
