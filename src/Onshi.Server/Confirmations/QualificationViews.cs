using Onshi.Core.Codes;
using Onshi.Server.Insurance;

namespace Onshi.Server.Confirmations;

/// <summary>A stored qualification as the app protocol shows it (Onshi.AppProtocol.QualificationView).</summary>
public static class QualificationViews
{
    public static QualificationView From(QualificationSnapshot q) => new(
        q.InsurerNumber.Trim(), q.InsurerName, q.Symbol, q.Number, q.Branch, q.PersonalFamilyClassification.ToWireCode(), q.InsuredName,
        q.Name, q.NameKana, q.Sex.ToWireCode(), q.Birthdate, q.Address, q.PostNumber, q.CardClassification.ToWireCode(),
        q.CardValidFrom, q.CardValidUntil, q.QualificationDate, q.DisqualificationDate, q.ReasonOfLoss?.ToWireCode(), q.ContributionRatio?.ToWireCode() ?? "", q.Preschool,
        q.ElderlyRecipient is { } e ? new ElderlyRecipientView(e.IssuedOn, e.ValidFrom, e.ValidUntil, e.ContributionRatio.ToWireCode()) : null,
        q.LimitCertificate is { } l ? new LimitCertificateView(l.Classification.ToWireCode(), l.Bracket.ToWireCode(), l.IssuedOn, l.ValidFrom, l.ValidUntil, l.LongTermHospitalizationDate) : null,
        [.. q.SpecificDiseases.Select(s => new SpecificDiseaseView(s.Category.ToWireCode(), s.IssuedOn, s.ValidFrom, s.ValidUntil, s.SelfPayLimit))],
        q.MedicalTickets.Count == 0 ? null : [.. q.MedicalTickets.Select(Ticket)]);

    public static MedicalTicketView Ticket(MedicalTicketSnapshot t) => new(
        t.TicketType.ToWireCode(), t.ValidFrom, t.ValidUntil, t.IssueNumber, t.TreatmentMonth, t.DesignatedInstitutionCode, t.DesignatedInstitutionName,
        t.PrescriptionIssuerCode, t.PrescriptionIssuerName, [.. new[] { t.InjuryName1, t.InjuryName2, t.InjuryName3 }.Where(n => n.Length > 0)],
        t.TreatmentType.ToWireCode(), t.SelfPayAmount, t.DistrictContactName, t.HandlingContactName, t.SingleOrCombinedUse.ToWireCode(),
        t.SocialInsurance.ToWireCode(), t.Remarks);
}
