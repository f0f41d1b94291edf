using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Onshi.Server.Auth;
using Onshi.Server.TwoFactor;

namespace Onshi.Server.Portal.TwoFactor;

/// <summary>The second login step; the session becomes a full one only here (see TwoFactor/readme.md).</summary>
public sealed class VerifyModel(VerifySecondFactor verify, TimeProvider time) : PortalPageModel
{
    [BindProperty]
    public string? Code { get; set; }

    private bool OwesCode => User.FindFirst(PortalClaims.SecondFactorPending)?.Value == "verify";

    public IActionResult OnGet() => OwesCode ? Page() : RedirectToPage("/Index");

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!OwesCode || PortalClaims.AccountId(User) is not { } accountId)
        {
            return RedirectToPage("/Index");
        }

        var result = await verify.ExecuteAsync(accountId, Code, cancellationToken);
        if (!result.Succeeded)
        {
            return Refuse(result.Refusals);
        }

        var account = result.Value!.Account;
        await HttpContext.SignInAsync(PortalAuthentication.Scheme, PortalClaims.For(account, time.GetUtcNow()));
        if (result.Value.RemainingRecoveryCodes is { } remaining)
        {
            TempData["Message"] = $"リカバリーコードを使用しました。残りは{remaining}個です。認証アプリを登録し直すと新しいリカバリーコードが発行されます。";
        }

        return account.MustChangePassword ? RedirectToPage("/ChangeInitialPassword") : RedirectToPage("/Index");
    }
}
