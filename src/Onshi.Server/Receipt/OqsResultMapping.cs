using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Onshi.Core.Codes;
using Onshi.OqsXml.Responses;
using Onshi.Server.Confirmations;
using Onshi.Server.Consent;
using Onshi.Server.Data;
using Onshi.Server.Insurance;

namespace Onshi.Server.Receipt;

/// <summary>
/// Turns Onshi's qualification answers into the OQS result layout (別紙3-1 element names, wire codes, yyyyMMdd dates,
/// 国保 insurer numbers right-justified in 8 characters). The JSON API returns this layout as JSON, like the real Web
/// API sends the XmlMsg structure as JSON (oqs-system.md §3.3), so the agent writes it to XML without translation.
/// </summary>
public sealed class OqsResultMapping(AppDbContext db)
{
    private static readonly TimeSpan Jst = TimeSpan.FromHours(9);

    /// <summary>照会番号 of the given persons at one institution.</summary>
    public async Task<Dictionary<long, string>> ReferenceNumbersAsync(int institutionId, IEnumerable<long> personIds, CancellationToken cancellationToken)
    {
        var ids = personIds.Distinct().ToList();
        var found = new Dictionary<long, string>();
        foreach (var chunk in ids.Chunk(500))
        {
            var rows = await db.ReferenceNumbers.IgnoreQueryFilters().AsNoTracking()
                .Where(r => r.InstitutionId == institutionId && chunk.Contains(r.PersonId))
                .Select(r => new { r.PersonId, r.ReferenceNumber })
                .ToListAsync(cancellationToken).ConfigureAwait(false);
            foreach (var row in rows)
            {
                found[row.PersonId] = row.ReferenceNumber;
            }
        }

        return found;
    }

    /// <summary>Every 照会番号 of one institution (for bulk jobs, one query instead of one per person).</summary>
    public Task<Dictionary<long, string>> AllReferenceNumbersAsync(int institutionId, CancellationToken cancellationToken) =>
        db.ReferenceNumbers.IgnoreQueryFilters().AsNoTracking().Where(r => r.InstitutionId == institutionId)
            .ToDictionaryAsync(r => r.PersonId, r => r.ReferenceNumber, cancellationToken);

    /// <summary>
    /// The app confirmations given, as 連携 results with consent as of <paramref name="asOf"/> (one consent query per
    /// 500 confirmations), in the order given.
    /// </summary>
    public async Task<List<QualificationConfirmationResult>> FromConfirmationsAsync(IReadOnlyList<StoredConfirmation> confirmations, IReadOnlyDictionary<long, string> referenceNumbers,
        DateTimeOffset asOf, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(confirmations);
        ArgumentNullException.ThrowIfNull(referenceNumbers);
        var consents = new Dictionary<Guid, List<ConsentRecord>>();
        foreach (var chunk in confirmations.Select(c => c.Id).Chunk(500))
        {
            var rows = await db.ConsentRecords.IgnoreQueryFilters().AsNoTracking()
                .Where(r => chunk.Contains(r.ConfirmationId))
                .ToListAsync(cancellationToken).ConfigureAwait(false);
            foreach (var row in rows)
            {
                (consents.TryGetValue(row.ConfirmationId, out var list) ? list : consents[row.ConfirmationId] = []).Add(row);
            }
        }

        return [.. confirmations.Select(c => FromConfirmation(c.Id, c.ConfirmedAt, ConfirmationSnapshot.FromJson(c.SnapshotJson), consents.GetValueOrDefault(c.Id) ?? [], asOf,
            c.PersonId is { } person ? referenceNumbers.GetValueOrDefault(person) : null))];
    }

    /// <summary>A 被保険者証情報 lookup as a per-person result (ProcessingResultStatus 1).</summary>
    public static QualificationConfirmationResult FromLookup(QualificationLookupResult found, OqsXml.Requests.QualificationConfirmSearchInfo? request, string? referenceNumber) => new()
    {
        ProcessingResultStatus = "1",
        QualificationValidity = found.Validity.ToWireCode(),
        SearchInfo = OqsXml.Responses.OqsResponseFactory.Echo(request),
        Results = found.Qualifications.Select(q => FromSnapshot(q, request?.ArbitraryIdentifier)).ToList(),
        ReferenceNumber = referenceNumber,
    };

    public static ResultOfQualificationConfirmation FromSnapshot(QualificationSnapshot q, string? arbitraryIdentifier) => new()
    {
        InsuredCardClassification = q.CardClassification.ToWireCode(),
        InsurerNumber = Padded(q.InsurerNumber),
        InsuredCardSymbol = NullIfEmpty(q.Symbol),
        InsuredIdentificationNumber = q.Number,
        InsuredBranchNumber = NullIfEmpty(q.Branch),
        PersonalFamilyClassification = q.PersonalFamilyClassification.ToWireCode(),
        InsuredName = NullIfEmpty(q.InsuredName),
        Name = q.Name,
        NameKana = NullIfEmpty(q.NameKana),
        Sex1 = q.Sex.ToWireCode(),
        Birthdate = Date(q.Birthdate),
        Address = NullIfEmpty(q.Address),
        PostNumber = NullIfEmpty(q.PostNumber),
        QualificationDate = Date(q.QualificationDate),
        DisqualificationDate = Date(q.DisqualificationDate),
        InsuredCertificateIssuanceDate = Date(q.CardIssuedOn),
        InsuredCardValidDate = Date(q.CardValidFrom),
        InsuredCardExpirationDate = Date(q.CardValidUntil),
        InsuredPartialContributionRatio = q.ContributionRatio?.ToWireCode(),
        PreschoolClassification = q.Preschool ? PreschoolClassification.Preschool.ToWireCode() : null,
        ReasonOfLoss = q.ReasonOfLoss?.ToWireCode(),
        InsurerName = NullIfEmpty(q.InsurerName),
        ElderlyRecipientCertificateInfo = q.ElderlyRecipient is { } e ? new ElderlyRecipientCertificateInfo
        {
            ElderlyRecipientCertificateDate = Date(e.IssuedOn),
            ElderlyRecipientValidStartDate = Date(e.ValidFrom),
            ElderlyRecipientValidEndDate = Date(e.ValidUntil),
            ElderlyRecipientContributionRatio = e.ContributionRatio.ToWireCode(),
        } : null,

        // 限度額 information is provided without asking since 2024-10-07 (oqs-system.md §7 rule 3).
        LimitApplicationCertificateRelatedConsFlg = q.LimitCertificate is null ? null : "1",
        LimitApplicationCertificateRelatedInfo = q.LimitCertificate is { } l ? new LimitApplicationCertificateRelatedInfo
        {
            LimitApplicationCertificateClassification = l.Classification.ToWireCode(),
            LimitApplicationCertificateClassificationFlag = l.Bracket.ToWireCode(),
            LimitApplicationCertificateDate = Date(l.IssuedOn),
            LimitApplicationCertificateValidStartDate = Date(l.ValidFrom),
            LimitApplicationCertificateValidEndDate = Date(l.ValidUntil),
            LimitApplicationCertificateLongTermDate = Date(l.LongTermHospitalizationDate),
        } : null,
        SpecificDiseasesCertificates = q.SpecificDiseases.Select(s => new SpecificDiseasesCertificateInfo
        {
            SpecificDiseasesDiseaseCategory = s.Category.ToWireCode(),
            SpecificDiseasesCertificateDate = Date(s.IssuedOn),
            SpecificDiseasesValidStartDate = Date(s.ValidFrom),
            SpecificDiseasesValidEndDate = Date(s.ValidUntil),
            SpecificDiseasesSelfPay = s.SelfPayLimit.ToString(CultureInfo.InvariantCulture),
        }).ToList(),
        MedicalTickets = q.MedicalTickets.Select(Ticket).ToList(),
        ArbitraryIdentifier = arbitraryIdentifier,
    };

    /// <summary>
    /// One app confirmation as the face-reader result of the real system (ReferenceClassification 1), mapped from its
    /// stored domain snapshot with the same qualification mapping as every other answer (<see cref="FromSnapshot"/>).
    /// Consent flags are as of <paramref name="asOf"/>, the moment of this answer: a consent withdrawn since (同意取消)
    /// reads 2 同意有効期限切れ, while the stored snapshot and the app's answer stay as they were, for audit.
    /// </summary>
    public static QualificationConfirmationResult FromConfirmation(Guid confirmationId, DateTimeOffset confirmedAt, ConfirmationSnapshot snapshot,
        IReadOnlyCollection<ConsentRecord> consents, DateTimeOffset asOf, string? referenceNumber)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(consents);
        var code = snapshot.ProcessingResultCode;
        // One answer per type is what a confirmation records; should more rows carry its id, the latest counts.
        var byType = consents.GroupBy(c => c.InformationType)
            .ToDictionary(g => g.Key, g => g.OrderByDescending(c => c.AnsweredAt).ThenByDescending(c => c.Id).First());
        return new QualificationConfirmationResult
        {
            ProcessingResultStatus = "1",
            ProcessingResultCode = code?.ToWireCode(),
            ProcessingResultMessage = code?.ToLabel(),
            QualificationValidity = snapshot.Validity.ToWireCode(),
            PrescriptionIssueSelect = snapshot.PrescriptionIssue?.ToWireCode(),
            Results = snapshot.Qualifications.Select(q => FromSnapshot(q, arbitraryIdentifier: null) with
            {
                LimitApplicationCertificateRelatedConsTime = q.LimitCertificate is null ? null : Time(confirmedAt),
                SpecificHealthCheckupsInfoConsFlg = Flag(byType, InformationType.Checkup, asOf),
                SpecificHealthCheckupsInfoConsTime = ConsTime(byType, InformationType.Checkup),
                SpecificHealthCheckupsInfoAvailableTime = Available(byType, InformationType.Checkup, asOf),
                PharmacistsInfoConsFlg = Flag(byType, InformationType.Pharmacy, asOf),
                PharmacistsInfoConsTime = ConsTime(byType, InformationType.Pharmacy),
                PharmacistsInfoAvailableTime = Available(byType, InformationType.Pharmacy, asOf),
                DiagnosisInfoConsFlg = Flag(byType, InformationType.Diagnosis, asOf),
                DiagnosisInfoConsTime = ConsTime(byType, InformationType.Diagnosis),
                DiagnosisInfoAvailableTime = Available(byType, InformationType.Diagnosis, asOf),
                OperationInfoConsFlg = Flag(byType, InformationType.Operation, asOf),
                OperationInfoConsTime = ConsTime(byType, InformationType.Operation),
                OperationInfoAvailableTime = Available(byType, InformationType.Operation, asOf),
                QualificationConfirmationKey = confirmationId.ToString("N"),
            }).ToList(),
            ReferenceNumber = referenceNumber,
        };
    }

    /// <summary>
    /// One 医療券・調剤券 as PublicExpenseResultList/MedicalTicketInfo. The 指定医療機関確認フラグ (OQSCD026) is left out:
    /// the public material does not say which institution it compares with (the confirming one, or the prescriber's).
    /// </summary>
    private static MedicalTicketInfo Ticket(MedicalTicketSnapshot t) => new()
    {
        TicketType = t.TicketType.ToWireCode(),
        MedicalTicketValidDate = Date(t.ValidFrom),
        MedicalTicketExpirationDate = Date(t.ValidUntil),
        IssueNumber = NullIfEmpty(t.IssueNumber),
        MedicalTreatmentMonth = t.TreatmentMonth.ToString("yyyyMM", CultureInfo.InvariantCulture),
        DesignatedMedicalInstitutionCode = NullIfEmpty(t.DesignatedInstitutionCode),
        DesignatedMedicalInstitutionName = NullIfEmpty(t.DesignatedInstitutionName),
        PrescriptionIssuerMedicalInstitutionCode = NullIfEmpty(t.PrescriptionIssuerCode),
        PrescriptionIssuerMedicalInstitutionName = NullIfEmpty(t.PrescriptionIssuerName),
        InjuryName1 = NullIfEmpty(t.InjuryName1),
        InjuryName2 = NullIfEmpty(t.InjuryName2),
        InjuryName3 = NullIfEmpty(t.InjuryName3),
        MedicalTreatmentType = t.TreatmentType.ToWireCode(),
        SelfPayAmount = t.SelfPayAmount.ToString(CultureInfo.InvariantCulture),
        DistrictContactName = NullIfEmpty(t.DistrictContactName),
        HandlingContactName = NullIfEmpty(t.HandlingContactName),
        SingleOrCombinedUse = t.SingleOrCombinedUse.ToWireCode(),
        StatusOfSocialInsurance = t.SocialInsurance.ToWireCode(),
        Remarks1 = NullIfEmpty(t.Remarks),
    };

    /// <summary>国保 (6 digits) right-justified with two leading spaces, as the XML interface carries it.</summary>
    public static string Padded(string insurerNumber) => insurerNumber.Trim().PadLeft(8, ' ');

    public static string? Date(DateOnly? date) => date?.ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    public static string Time(DateTimeOffset instant) => instant.ToOffset(Jst).ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    // OQSCD016: 0 同意なし, 1 同意あり, 2 同意有効期限切れ. A type that was not asked (not offered) has no element.
    // Only 訪問/オンライン consents can be withdrawn, and 2 exists only in those interfaces; a 外来 consent keeps 1
    // and its AvailableTime (24 hours) says until when it counts.
    private static string? Flag(Dictionary<InformationType, ConsentRecord> consents, InformationType type, DateTimeOffset asOf) =>
        !consents.TryGetValue(type, out var c) ? null
        : !c.Given ? ConsentFlag.NotGiven.ToWireCode()
        : c.WithdrawnAt is { } withdrawn && withdrawn <= asOf ? ConsentFlag.Expired.ToWireCode()
        : ConsentFlag.Given.ToWireCode();

    private static string? ConsTime(Dictionary<InformationType, ConsentRecord> consents, InformationType type) =>
        consents.TryGetValue(type, out var c) ? Time(c.AnsweredAt) : null;

    private static string? Available(Dictionary<InformationType, ConsentRecord> consents, InformationType type, DateTimeOffset asOf) =>
        consents.TryGetValue(type, out var c) && c.Given && (c.WithdrawnAt is null || c.WithdrawnAt > asOf) && c.AvailableUntil is { } until ? Time(until) : null;
}

/// <summary>What the 連携 mapping needs of one stored app confirmation.</summary>
public sealed record StoredConfirmation(Guid Id, DateTimeOffset ConfirmedAt, long? PersonId, string SnapshotJson);
