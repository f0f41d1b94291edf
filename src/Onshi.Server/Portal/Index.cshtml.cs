using Onshi.Server.Accounts;

namespace Onshi.Server.Portal;

/// <summary>メニュー: only the functions Onshi implements, and only those the signed-in role may use.</summary>
public sealed class IndexModel : PortalPageModel
{
    public bool IsAdministrator { get; private set; }

    public bool IsMedicalViewer { get; private set; }

    public void OnGet()
    {
        IsAdministrator = Actor.Role == AccountRole.Administrator;
        IsMedicalViewer = Actor.Role == AccountRole.MedicalInformationViewer;
    }
}
