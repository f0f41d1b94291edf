using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Onshi.Core.Codes;
using Onshi.OqsXml.Responses;
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
        MedicalTickets = q.MedicalTickets.Select(t => Ticket(Confirmations.QualificationViews.Ticket(t))).ToList(),
        ArbitraryIdentifier = arbitraryIdentifier,
    };

    /// <summary>The stored answer of an app confirmation, as the face-reader result of the real system (ReferenceClassification 1).</summary>
    public static QualificationConfirmationResult FromAppConfirmation(ConfirmationResponse response, string? referenceNumber)
    {
        ArgumentNullException.ThrowIfNull(response);
        var notice = response.Notices.FirstOrDefault(n => n.ProcessingResultCode is not null);
        var consent = response.Consents;
        return new QualificationConfirmationResult
        {
            ProcessingResultStatus = "1",
            ProcessingResultCode = notice?.ProcessingResultCode,
            ProcessingResultMessage = notice?.Message,
            QualificationValidity = response.Validity.Code,
            Results = response.Qualifications.Select(q => new ResultOfQualificationConfirmation
            {
                InsuredCardClassification = q.InsuredCardClassification,
                InsurerNumber = Padded(q.InsurerNumber),
                InsuredCardSymbol = NullIfEmpty(q.InsuredCardSymbol),
                InsuredIdentificationNumber = q.InsuredIdentificationNumber,
                InsuredBranchNumber = NullIfEmpty(q.InsuredBranchNumber),
                PersonalFamilyClassification = q.PersonalFamilyClassification,
                InsuredName = NullIfEmpty(q.InsuredName),
                Name = q.Name,
                NameKana = NullIfEmpty(q.NameKana),
                Sex1 = q.Sex,
                Birthdate = Date(q.Birthdate),
                Address = NullIfEmpty(q.Address),
                PostNumber = NullIfEmpty(q.PostNumber),
                QualificationDate = Date(q.QualificationDate),
                DisqualificationDate = Date(q.DisqualificationDate),
                InsuredCardValidDate = Date(q.InsuredCardValidDate),
                InsuredCardExpirationDate = Date(q.InsuredCardExpirationDate),
                InsuredPartialContributionRatio = NullIfEmpty(q.PartialContributionRatio),
                PreschoolClassification = q.Preschool ? PreschoolClassification.Preschool.ToWireCode() : null,
                ReasonOfLoss = q.ReasonOfLoss,
                InsurerName = NullIfEmpty(q.InsurerName),
                ElderlyRecipientCertificateInfo = q.ElderlyRecipient is { } e ? new ElderlyRecipientCertificateInfo
                {
                    ElderlyRecipientCertificateDate = Date(e.CertificateDate),
                    ElderlyRecipientValidStartDate = Date(e.ValidStartDate),
                    ElderlyRecipientValidEndDate = Date(e.ValidEndDate),
                    ElderlyRecipientContributionRatio = e.PartialContributionRatio,
                } : null,
                LimitApplicationCertificateRelatedConsFlg = q.LimitCertificate is null ? null : "1",
                LimitApplicationCertificateRelatedConsTime = q.LimitCertificate is null ? null : Time(response.ConfirmedAt),
                LimitApplicationCertificateRelatedInfo = q.LimitCertificate is { } l ? new LimitApplicationCertificateRelatedInfo
                {
                    LimitApplicationCertificateClassification = l.Classification,
                    LimitApplicationCertificateClassificationFlag = l.ClassificationFlag,
                    LimitApplicationCertificateDate = Date(l.CertificateDate),
                    LimitApplicationCertificateValidStartDate = Date(l.ValidStartDate),
                    LimitApplicationCertificateValidEndDate = Date(l.ValidEndDate),
                    LimitApplicationCertificateLongTermDate = Date(l.LongTermDate),
                } : null,
                SpecificDiseasesCertificates = q.SpecificDiseases.Select(s => new SpecificDiseasesCertificateInfo
                {
                    SpecificDiseasesDiseaseCategory = s.DiseaseCategory,
                    SpecificDiseasesCertificateDate = Date(s.CertificateDate),
                    SpecificDiseasesValidStartDate = Date(s.ValidStartDate),
                    SpecificDiseasesValidEndDate = Date(s.ValidEndDate),
                    SpecificDiseasesSelfPay = s.SelfPay.ToString(CultureInfo.InvariantCulture),
                }).ToList(),
                MedicalTickets = (q.MedicalTickets ?? []).Select(Ticket).ToList(),
                SpecificHealthCheckupsInfoConsFlg = Flag(consent, "checkup"),
                SpecificHealthCheckupsInfoConsTime = ConsTime(consent, "checkup", response.ConfirmedAt),
                SpecificHealthCheckupsInfoAvailableTime = Available(consent, "checkup"),
                PharmacistsInfoConsFlg = Flag(consent, "pharmacy"),
                PharmacistsInfoConsTime = ConsTime(consent, "pharmacy", response.ConfirmedAt),
                PharmacistsInfoAvailableTime = Available(consent, "pharmacy"),
                DiagnosisInfoConsFlg = Flag(consent, "diagnosis"),
                DiagnosisInfoConsTime = ConsTime(consent, "diagnosis", response.ConfirmedAt),
                DiagnosisInfoAvailableTime = Available(consent, "diagnosis"),
                OperationInfoConsFlg = Flag(consent, "operation"),
                OperationInfoConsTime = ConsTime(consent, "operation", response.ConfirmedAt),
                OperationInfoAvailableTime = Available(consent, "operation"),
                QualificationConfirmationKey = response.ConfirmationId.ToString("N"),
            }).ToList(),
            ReferenceNumber = referenceNumber,
        };
    }

    /// <summary>
    /// One 医療券・調剤券 as PublicExpenseResultList/MedicalTicketInfo. The 指定医療機関確認フラグ (OQSCD026) is left out:
    /// it compares with the institution that confirmed, which the stored answer does not carry.
    /// </summary>
    public static MedicalTicketInfo Ticket(MedicalTicketView t)
    {
        ArgumentNullException.ThrowIfNull(t);
        return new MedicalTicketInfo
        {
            TicketType = t.TicketType,
            MedicalTicketValidDate = Date(t.ValidStartDate),
            MedicalTicketExpirationDate = Date(t.ValidEndDate),
            IssueNumber = NullIfEmpty(t.IssueNumber),
            MedicalTreatmentMonth = t.TreatmentMonth.ToString("yyyyMM", CultureInfo.InvariantCulture),
            DesignatedMedicalInstitutionCode = NullIfEmpty(t.DesignatedInstitutionCode),
            DesignatedMedicalInstitutionName = NullIfEmpty(t.DesignatedInstitutionName),
            PrescriptionIssuerMedicalInstitutionCode = NullIfEmpty(t.PrescriptionIssuerCode),
            PrescriptionIssuerMedicalInstitutionName = NullIfEmpty(t.PrescriptionIssuerName),
            InjuryName1 = t.InjuryNames.ElementAtOrDefault(0),
            InjuryName2 = t.InjuryNames.ElementAtOrDefault(1),
            InjuryName3 = t.InjuryNames.ElementAtOrDefault(2),
            MedicalTreatmentType = t.TreatmentType,
            SelfPayAmount = t.SelfPayAmount.ToString(CultureInfo.InvariantCulture),
            DistrictContactName = NullIfEmpty(t.DistrictContactName),
            HandlingContactName = NullIfEmpty(t.HandlingContactName),
            SingleOrCombinedUse = t.SingleOrCombinedUse,
            StatusOfSocialInsurance = t.SocialInsurance,
            Remarks1 = NullIfEmpty(t.Remarks),
        };
    }

    /// <summary>国保 (6 digits) right-justified with two leading spaces, as the XML interface carries it.</summary>
    public static string Padded(string insurerNumber) => insurerNumber.Trim().PadLeft(8, ' ');

    public static string? Date(DateOnly? date) => date?.ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    public static string Time(DateTimeOffset instant) => instant.ToOffset(Jst).ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    // OQSCD016: 0 同意なし, 1 同意あり. Not asked (type not offered) → element absent.
    private static string? Flag(IReadOnlyDictionary<string, ConsentView> consents, string type) =>
        consents.TryGetValue(type, out var c) ? (c.Given ? "1" : "0") : null;

    private static string? ConsTime(IReadOnlyDictionary<string, ConsentView> consents, string type, DateTimeOffset at) =>
        consents.ContainsKey(type) ? Time(at) : null;

    private static string? Available(IReadOnlyDictionary<string, ConsentView> consents, string type) =>
        consents.TryGetValue(type, out var c) && c.Given && c.AvailableUntil is { } until ? Time(until) : null;
}
