using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Onshi.Server.Accounts;
using Onshi.Server.Common;
using Onshi.Server.Data;

namespace Onshi.Server.Portal.Accounts;

/// <summary>
/// アカウント管理(更新) for one account: update its fields, reset its password, unlock it or stop it. Each button is
/// its own handler calling its own operation; the account is looked up through the institution-scoped context, so an
/// ID from another institution is simply not found.
/// </summary>
public sealed class EditModel(AppDbContext db, TimeProvider time, UpdateAccount update, ResetPassword reset, UnlockAccount unlock, StopAccount stop, Onshi.Server.TwoFactor.ResetTwoFactor resetTwoFactor) : PortalPageModel
{
    [BindProperty(SupportsGet = true)]
    public int Id { get; set; }

    [BindProperty]
    public Guid Version { get; set; }

    [BindProperty]
    public AccountRole? Role { get; set; }

    [BindProperty]
    public string? Name { get; set; }

    [BindProperty]
    public string? NameKana { get; set; }

    [BindProperty]
    public string? StartDate { get; set; }

    [BindProperty]
    public string? EndDate { get; set; }

    [BindProperty]
    public bool ConfirmStop { get; set; }

    public string? UserId { get; private set; }

    public string State { get; private set; } = "";

    public bool IsSelf { get; private set; }

    public bool IsStopped { get; private set; }

    public bool IsLocked { get; private set; }

    public bool IsAdministratorAccount { get; private set; }

    public bool HasTwoFactor { get; private set; }

    public string? Message { get; private set; }

    public string? NewPassword { get; private set; }

    public string InstitutionCodeText => CurrentInstitutionCode;

    public string InstitutionNameText => CurrentInstitutionName;

    public AccountForm Form => new(Role, UserId, Name, NameKana, StartDate, EndDate, Refusals,
        UserIdLocked: true, RoleLocked: IsAdministratorAccount, PeriodLocked: IsAdministratorAccount);

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken) =>
        await LoadAsync(keepPosted: false, cancellationToken) ? Page() : NotFound();

    public async Task<IActionResult> OnPostUpdateAsync(CancellationToken cancellationToken)
    {
        var result = await update.ExecuteAsync(Actor, Id, Version, new AccountFieldsInput(null, Name, NameKana, Role, StartDate, EndDate), cancellationToken);
        return await AfterAsync(result.Refusals, "アカウント情報を更新しました。", keepPostedOnFailure: true, cancellationToken);
    }

    public async Task<IActionResult> OnPostResetPasswordAsync(CancellationToken cancellationToken)
    {
        var result = await reset.ExecuteAsync(Actor, Id, cancellationToken);
        NewPassword = result.Value;
        return await AfterAsync(result.Refusals, null, keepPostedOnFailure: false, cancellationToken);
    }

    public async Task<IActionResult> OnPostUnlockAsync(CancellationToken cancellationToken)
    {
        var result = await unlock.ExecuteAsync(Actor, Id, cancellationToken);
        return await AfterAsync(result.Refusals, "ロックを解除しました。", keepPostedOnFailure: false, cancellationToken);
    }

    public async Task<IActionResult> OnPostResetTwoFactorAsync(CancellationToken cancellationToken)
    {
        var result = await resetTwoFactor.ExecuteAsync(Actor, Id, cancellationToken);
        return await AfterAsync(result.Refusals, "二要素認証をリセットしました。次回ログイン時に認証アプリを登録し直します。", keepPostedOnFailure: false, cancellationToken);
    }

    public async Task<IActionResult> OnPostStopAsync(CancellationToken cancellationToken)
    {
        if (!ConfirmStop)
        {
            // Another institution's account is not found, whatever the form says (authorization matrix).
            if (!await LoadAsync(keepPosted: false, cancellationToken))
            {
                return NotFound();
            }

            return Refuse([new Refusal("account.stop_not_confirmed", "利用停止する場合は確認欄にチェックを入れてください。", "ConfirmStop")]);
        }

        var result = await stop.ExecuteAsync(Actor, Id, cancellationToken);
        return await AfterAsync(result.Refusals, "アカウントを利用停止しました。", keepPostedOnFailure: false, cancellationToken);
    }

    private async Task<IActionResult> AfterAsync(IReadOnlyList<Refusal> refusals, string? success, bool keepPostedOnFailure, CancellationToken cancellationToken)
    {
        if (refusals.Any(r => r == Common.Refusals.AccountNotFound))
        {
            return NotFound();
        }

        db.ChangeTracker.Clear();
        if (!await LoadAsync(keepPosted: refusals.Count > 0 && keepPostedOnFailure, cancellationToken))
        {
            return NotFound();
        }

        if (refusals.Count > 0)
        {
            return Refuse(refusals);
        }

        Message = success;
        return Page();
    }

    private async Task<bool> LoadAsync(bool keepPosted, CancellationToken cancellationToken)
    {
        var account = await db.Accounts.AsNoTracking().SingleOrDefaultAsync(a => a.Id == Id, cancellationToken);
        if (account is null)
        {
            return false;
        }

        UserId = account.UserId;
        IsSelf = account.Id == Actor.AccountId;
        IsStopped = account.StoppedAt is not null;
        IsLocked = account.IsLocked(time.GetUtcNow());
        IsAdministratorAccount = account.Role == AccountRole.Administrator;
        HasTwoFactor = await db.TwoFactorCredentials.AnyAsync(c => c.AccountId == account.Id, cancellationToken);
        State = AccountState.Describe(account, time);
        if (!keepPosted)
        {
            Role = account.Role;
            Name = account.Name;
            NameKana = account.NameKana;
            StartDate = account.StartDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            EndDate = account.EndDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            Version = account.Version;
        }

        return true;
    }
}
