using Microsoft.AspNetCore.Mvc;
using Onshi.Server.Accounts;
using Onshi.Server.Common;

namespace Onshi.Server.Portal.Accounts;

public sealed class CreateModel(CreateAccount createAccount, TimeProvider time) : PortalPageModel
{
    [BindProperty]
    public AccountRole? Role { get; set; } = AccountRole.General;

    [BindProperty]
    public string? UserId { get; set; }

    [BindProperty]
    public string? Name { get; set; }

    [BindProperty]
    public string? NameKana { get; set; }

    [BindProperty]
    public string? StartDate { get; set; }

    [BindProperty]
    public string? EndDate { get; set; }

    /// <summary>Shown once, in the response to the registering POST.</summary>
    public string? InitialPassword { get; private set; }

    public string InstitutionCodeText => CurrentInstitutionCode;

    public string InstitutionNameText => CurrentInstitutionName;

    public AccountForm Form => new(Role, UserId, Name, NameKana, StartDate, EndDate, Refusals);

    public void OnGet() => StartDate = JapanTime.Today(time).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var result = await createAccount.ExecuteAsync(Actor, new AccountFieldsInput(UserId, Name, NameKana, Role, StartDate, EndDate), cancellationToken);
        if (!result.Succeeded)
        {
            return Refuse(result.Refusals);
        }

        InitialPassword = result.Value!.InitialPassword;
        UserId = result.Value.Account.UserId;
        return Page();
    }
}
