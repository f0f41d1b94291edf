using System.Globalization;
using Onshi.Core.Codes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Onshi.OqsXml.Responses;
using Onshi.Server.Accounts;
using Onshi.Server.Audit;
using Onshi.Server.Common;
using Onshi.Server.Consent;
using Onshi.Server.Data;
using Onshi.Server.Insurance;
using Onshi.Server.MedicalViewing;
using Onshi.Server.Receipt;

namespace Onshi.Server.Emergency;

/// <summary>A search's answer: the persons (at most MaximumMatches) and the period it ran under.</summary>
public sealed record EmergencySearchResult(EmergencyActivation Activation, IReadOnlyList<PersonCandidate> Persons);

/// <summary>One chosen person's qualification as the レセコン mapping renders it.</summary>
public sealed record EmergencyConfirmation(EmergencyActivation Activation, PersonCandidate Person, QualificationConfirmationResult Result);

/// <summary>
/// 緊急時医療情報・資格確認機能 without a card: search by attributes, confirm the chosen person's qualification through
/// the one QualificationLookup, record the oral consent, and show medical information through ViewMedicalInformation.
/// Every step re-checks the period with the injected clock, and a chosen person must be among the search's own
/// answer (the form's person id is never trusted alone). Every step that runs is written to the audit chain.
/// </summary>
public sealed class EmergencyLookup(AppDbContext db, EmergencyMode mode, QualificationLookup lookup, ViewMedicalInformation viewing, AuditLog audit, TimeProvider time, IOptions<EmergencyOptions> options)
{
    public static readonly Refusal TooMany = new("emergency.too_many_matches", "該当者が多すぎます。住所（一部）または保険者番号を入力して絞り込んでください。");
    public static readonly Refusal NotAmongResults = new("emergency.person_not_found", "選択した方は検索結果にありません。もう一度検索してください。");
    public static readonly Refusal NotMedicalViewer = new("emergency.role_not_allowed", "医療情報の閲覧（同意の記録）は「医療情報閲覧」権限のアカウントのみ行えます。") { Forbids = true };
    public static readonly Refusal ConsentNotFound = new("emergency.consent_not_found", "緊急時の同意記録が見つからないか、有効期間を過ぎています。資格確認からやり直してください。");

    public async Task<OperationResult<EmergencySearchResult>> SearchAsync(Actor actor, EmergencySearchInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(input);
        var (search, refusals) = input.Validate();
        if (search is null)
        {
            return OperationResult<EmergencySearchResult>.Fail(refusals);
        }

        var found = await FindAsync(actor, search, "emergency.search", cancellationToken).ConfigureAwait(false);
        if (!found.Succeeded)
        {
            return OperationResult<EmergencySearchResult>.Fail(found.Refusals);
        }

        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return found;
    }

    /// <summary>資格確認 of one person from the search's answer, as of today in Japan.</summary>
    public async Task<OperationResult<EmergencyConfirmation>> ConfirmAsync(Actor actor, EmergencySearchInput input, long personId, CancellationToken cancellationToken)
    {
        var chosen = await ChooseAsync(actor, input, personId, cancellationToken).ConfigureAwait(false);
        if (!chosen.Succeeded)
        {
            return OperationResult<EmergencyConfirmation>.Fail(chosen.Refusals);
        }

        var (activation, person) = chosen.Value;
        var found = await lookup.FindByPersonAsync(person.PersonId, JapanTime.Today(time), cancellationToken).ConfigureAwait(false)
            ?? new QualificationLookupResult { Validity = QualificationValidity.NoQualification };
        var result = OqsResultMapping.FromLookup(found, null, null);
        audit.Add(actor, actor.InstitutionId, "emergency.qualification_confirmed", $"person:{person.PersonId}",
            $"activation={activation.Id} validity={result.QualificationValidity}");
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return OperationResult<EmergencyConfirmation>.Ok(new EmergencyConfirmation(activation, person, result));
    }

    /// <summary>
    /// Records the oral consent (医療情報閲覧 accounts only) for the chosen person and the kinds of information, before
    /// anything is shown. The consent is the only key to <see cref="ViewAsync"/>.
    /// </summary>
    public async Task<OperationResult<EmergencyConsent>> RecordConsentAsync(Actor actor, EmergencySearchInput input, long personId, string? givenBy, IReadOnlyCollection<InformationType> types, string? note, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(types);
        if (actor.Role != AccountRole.MedicalInformationViewer || actor.AccountId is not { } accountId)
        {
            return OperationResult<EmergencyConsent>.Fail(NotMedicalViewer);
        }

        var refusals = new List<Refusal>();
        var giver = givenBy?.Trim() switch
        {
            "1" => EmergencyConsentGiver.Patient,
            "2" => EmergencyConsentGiver.Family,
            "3" => EmergencyConsentGiver.NotObtainable,
            _ => (EmergencyConsentGiver?)null,
        };
        if (giver is null)
        {
            refusals.Add(new Refusal("emergency.consent_giver_required", "同意: 誰から口頭で同意を得たか（本人・家族等・同意取得困難）を選択してください。", "GivenBy"));
        }

        var trimmedNote = note?.Trim() ?? "";
        if (giver == EmergencyConsentGiver.NotObtainable && trimmedNote.Length == 0)
        {
            refusals.Add(new Refusal("emergency.consent_note_required", "備考: 同意を得られない理由と閲覧が必要な理由を入力してください。", "Note"));
        }
        else if (trimmedNote.Length > EmergencyOptions.ReasonLength)
        {
            refusals.Add(new Refusal("emergency.consent_note_invalid", $"備考: {EmergencyOptions.ReasonLength}文字以内で入力してください。", "Note"));
        }

        var kinds = types.Where(Enum.IsDefined).Distinct().Order().ToList();
        if (kinds.Count == 0)
        {
            refusals.Add(new Refusal("emergency.consent_types_required", "閲覧する情報: 同意を得た情報を1つ以上選択してください。", "Types"));
        }

        var (search, inputRefusals) = input.Validate();
        refusals.AddRange(inputRefusals);
        if (refusals.Count > 0 || search is null)
        {
            return OperationResult<EmergencyConsent>.Fail(refusals);
        }

        var chosen = await ChooseAsync(actor, input, personId, cancellationToken).ConfigureAwait(false);
        if (!chosen.Succeeded)
        {
            return OperationResult<EmergencyConsent>.Fail(chosen.Refusals);
        }

        var (activation, person) = chosen.Value;
        var consent = new EmergencyConsent
        {
            Id = Guid.NewGuid(),
            InstitutionId = activation.InstitutionId,
            ActivationId = activation.Id,
            PersonId = person.PersonId,
            PatientName = person.Name,
            AccountId = accountId,
            AccountUserId = actor.DisplayId,
            RecordedAt = time.GetUtcNow(),
            GivenBy = giver!.Value,
            InformationTypes = string.Join(',', kinds.Select(k => ((int)k).ToString(CultureInfo.InvariantCulture))),
            Note = trimmedNote.Length == 0 ? null : trimmedNote,
        };
        db.EmergencyConsents.Add(consent);
        audit.Add(actor, actor.InstitutionId, "emergency.consent_recorded", $"person:{person.PersonId}",
            $"activation={activation.Id} consent={consent.Id} given_by={giver} types={string.Join(',', kinds)}");
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return OperationResult<EmergencyConsent>.Ok(consent);
    }

    /// <summary>The consent's kinds, for the page's tabs; null when the consent cannot be used now.</summary>
    public async Task<(EmergencyConsent Consent, EmergencyActivation Activation, IReadOnlyList<InformationType> Types)?> UsableConsentAsync(Actor actor, Guid consentId, CancellationToken cancellationToken)
    {
        if (actor.InstitutionId is not { } institutionId)
        {
            return null;
        }

        var consent = await db.EmergencyConsents.AsNoTracking().SingleOrDefaultAsync(c => c.Id == consentId && c.InstitutionId == institutionId, cancellationToken).ConfigureAwait(false);
        var activation = await mode.CurrentAsync(institutionId, cancellationToken).ConfigureAwait(false);
        if (consent is null || activation is null || consent.ActivationId != activation.Id
            || time.GetUtcNow() - consent.RecordedAt > TimeSpan.FromHours(options.Value.ConsentHours))
        {
            return null;
        }

        return (consent, activation, [.. consent.InformationTypes.Split(',').Select(t => (InformationType)int.Parse(t, CultureInfo.InvariantCulture))]);
    }

    /// <summary>医療情報閲覧 under a recorded consent: same period, within ConsentHours, a consented kind; logged before shown.</summary>
    public async Task<OperationResult<MedicalInformationPage>> ViewAsync(Actor actor, Guid consentId, InformationType type, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (actor.Role != AccountRole.MedicalInformationViewer || actor.AccountId is null)
        {
            return OperationResult<MedicalInformationPage>.Fail(NotMedicalViewer);
        }

        var usable = await UsableConsentAsync(actor, consentId, cancellationToken).ConfigureAwait(false);
        if (usable is not { } found || !found.Types.Contains(type))
        {
            audit.Add(actor, actor.InstitutionId, "medical_information.viewed", "emergency", $"type={type} emergency_consent={consentId} refused", succeeded: false);
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            return OperationResult<MedicalInformationPage>.Fail(ConsentNotFound);
        }

        var page = await viewing.ShowAsync(actor, found.Consent.PersonId, found.Consent.PatientName, type,
            new ViewMedicalInformation.ViewBasis(null, consentId), cancellationToken).ConfigureAwait(false);
        return OperationResult<MedicalInformationPage>.Ok(page);
    }

    // Validates, checks the period, runs the search and requires the chosen person to be in its answer.
    private async Task<OperationResult<(EmergencyActivation Activation, PersonCandidate Person)>> ChooseAsync(Actor actor, EmergencySearchInput input, long personId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(input);
        var (search, refusals) = input.Validate();
        if (search is null)
        {
            return OperationResult<(EmergencyActivation, PersonCandidate)>.Fail(refusals);
        }

        var found = await FindAsync(actor, search, "emergency.search", cancellationToken).ConfigureAwait(false);
        if (!found.Succeeded)
        {
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            return OperationResult<(EmergencyActivation, PersonCandidate)>.Fail(found.Refusals);
        }

        var person = found.Value!.Persons.FirstOrDefault(p => p.PersonId == personId);
        if (person is null)
        {
            audit.Add(actor, actor.InstitutionId, "emergency.person_refused", $"person:{personId}", "not among the search's answer", succeeded: false);
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            return OperationResult<(EmergencyActivation, PersonCandidate)>.Fail(NotAmongResults);
        }

        return OperationResult<(EmergencyActivation, PersonCandidate)>.Ok((found.Value.Activation, person));
    }

    // The period check and the search itself; adds the audit entry (the caller saves), refusals included.
    private async Task<OperationResult<EmergencySearchResult>> FindAsync(Actor actor, EmergencySearch search, string action, CancellationToken cancellationToken)
    {
        var institutionId = actor.InstitutionId!.Value;
        var narrowed = $"address={(search.AddressPart is null ? "no" : "yes")} insurer={(search.InsurerNumber is null ? "no" : "yes")}";
        var activation = await mode.CurrentAsync(institutionId, cancellationToken).ConfigureAwait(false);
        if (activation is null)
        {
            audit.Add(actor, institutionId, action, "emergency", "refused=inactive", succeeded: false);
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            return OperationResult<EmergencySearchResult>.Fail(EmergencyMode.Inactive);
        }

        var maximum = options.Value.MaximumMatches;
        var persons = await lookup.FindCandidatesAsync(search.Kana, search.Birthdate, search.Sex, search.AddressPart, search.InsurerNumber, maximum, cancellationToken).ConfigureAwait(false);
        if (persons.Count > maximum)
        {
            audit.Add(actor, institutionId, action, "emergency", $"activation={activation.Id} refused=too_many {narrowed}", succeeded: false);
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            return OperationResult<EmergencySearchResult>.Fail(TooMany);
        }

        // Person ids, never the typed name or birthdate: the chain must not become a second register of identities.
        audit.Add(actor, institutionId, action, "emergency", $"activation={activation.Id} matches={persons.Count} {narrowed} persons={string.Join(',', persons.Select(p => p.PersonId))}");
        return OperationResult<EmergencySearchResult>.Ok(new EmergencySearchResult(activation, persons));
    }
}
