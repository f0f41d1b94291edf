using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Onshi.OqsXml.Requests;
using Onshi.Server.Auth;
using Onshi.Server.Common;
using Onshi.Server.Portal.InsuranceCards;
using Onshi.Server.Receipt;

namespace Onshi.Server.Portal.ReferenceNumbers;

/// <summary>
/// 照会番号登録 by hand: the same operation as the レセコン's OQSsiimm01 (<see cref="ReceiptOperations.RegisterAsync"/>),
/// which resolves the card fields to one person, replaces any earlier number and writes the audit line, with the staff
/// account as the registrant. The card fields go through <see cref="InsuranceCardQuery"/>, as on 保険証確認.
/// </summary>
[Authorize(Policy = PortalAuthentication.Member)]
public sealed class RegisterModel(ReceiptOperations operations) : PortalPageModel
{
    /// <summary>照会番号 of the OQS layout: up to 50 characters.</summary>
    public const int MaxReferenceNumberLength = 50;

    [BindProperty]
    public InsuranceCardQuery Query { get; set; } = new();

    [BindProperty]
    public string? ReferenceNumber { get; set; }

    public string? Registered { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var (search, refusals) = Query.Validate(birthdateRequired: false);
        var reference = (ReferenceNumber ?? "").Trim();
        var all = refusals.ToList();
        if (reference.Length is 0 or > MaxReferenceNumberLength || reference.Any(char.IsControl))
        {
            all.Insert(0, new Refusal("reference.number_invalid", $"照会番号: 1〜{MaxReferenceNumberLength}文字で入力してください（診察券番号など）。", nameof(ReferenceNumber)));
        }

        if (search is null || all.Count > 0)
        {
            return Refuse(all);
        }

        var info = new ReferenceNumberRegistrationInfo
        {
            ReferenceNumber = reference,
            InsurerNumber = search.InsurerNumber,
            InsuredCardSymbol = search.InsuredCardSymbol,
            InsuredIdentificationNumber = search.InsuredIdentificationNumber,
            InsuredBranchNumber = search.InsuredBranchNumber,
        };
        var result = await operations.RegisterAsync(ReceiptRequester.Staff(Actor), info, null, cancellationToken);
        if (result.ProcessingResultStatus != "1")
        {
            return Refuse([new Refusal("reference.not_registered", "登録できませんでした: " + result.ProcessingResultMessage)]);
        }

        Registered = reference;
        return Page();
    }
}
