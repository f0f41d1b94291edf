using System.Globalization;
using Onshi.Core.Codes;
using Onshi.Core.Identifiers;
using Onshi.Server.MedicalAssistance;
using static Onshi.Server.Import.ColumnKind;

namespace Onshi.Server.Import;

/// <summary>Reading of the 公費 identifiers shared by the two 医療扶助 files.</summary>
internal static class MedicalAssistanceFields
{
    /// <summary>法別番号 of 医療扶助: 12 生活保護法, 25 中国残留邦人等支援法 (its 医療支援給付 uses the same tickets).</summary>
    private static readonly string[] AssistanceLaws = ["12", "25"];

    public static string BearerNumber(FieldReader f, int column)
    {
        var parsed = PublicExpenseBearerNumber.Parse(f.Record[column].ToString());
        if (!parsed.IsValid)
        {
            f.Error(column, "row." + parsed.Error!.MachineCode.Replace("identifier.", "bearer_", StringComparison.Ordinal), parsed.Error.Message);
            return "";
        }

        var number = parsed.Value!.Value;
        if (!AssistanceLaws.Contains(number.LawNumber))
        {
            f.Error(column, "row.bearer_not_assistance", $"公費負担者番号 {number.Value} の法別番号 {number.LawNumber} は医療扶助（12 生活保護、25 中国残留邦人等）ではありません。");
            return "";
        }

        return number.Value;
    }

    /// <summary>A 医療機関コード with its check digit, or "" when optional and empty.</summary>
    public static string InstitutionCode(FieldReader f, int column, bool required)
    {
        if (f.Record[column].Length == 0 && !required)
        {
            return "";
        }

        var parsed = MedicalInstitutionCode.Parse(f.Record[column].ToString());
        if (!parsed.IsValid)
        {
            f.Error(column, "row." + parsed.Error!.MachineCode.Replace("identifier.", "institution_", StringComparison.Ordinal), parsed.Error.Message);
            return "";
        }

        return parsed.Value!.Value.Value;
    }
}

/// <summary>One row per 医療扶助 period of a person (docs/import.md).</summary>
internal sealed class MedicalAssistanceFile : ImportFileType<MedicalAssistanceQualification>
{
    public override string Kind => "medical-assistance";

    public override IReadOnlyList<string> Columns { get; } = ["person_id", "bearer_number", "recipient_number", "welfare_office_name", "start_date", "end_date"];

    public override IReadOnlyList<ImportTarget<MedicalAssistanceQualification>> Targets { get; } =
    [
        new("MedicalAssistanceQualifications",
            [("PersonId", BigNumber), ("BearerNumber", Text), ("RecipientNumber", Text), ("WelfareOfficeName", Text), ("StartDate", Day), ("EndDate", Day)],
            _ => true,
            (q, s) =>
            {
                s.WriteLong(q.PersonId);
                s.WriteText(q.BearerNumber);
                s.WriteText(q.RecipientNumber);
                s.WriteText(q.WelfareOfficeName);
                s.WriteDay(q.StartDate);
                s.WriteDay(q.EndDate);
            }),
    ];

    public override MedicalAssistanceQualification? Parse(FieldReader f)
    {
        var personId = f.PersonId(0);
        var bearer = MedicalAssistanceFields.BearerNumber(f, 1);
        var recipient = PublicExpenseRecipientNumber.Parse(f.Record[2].ToString());
        if (!recipient.IsValid)
        {
            f.Error(2, "row." + recipient.Error!.MachineCode.Replace("identifier.", "recipient_", StringComparison.Ordinal), recipient.Error.Message);
        }

        var office = f.Text(3, MedicalAssistanceLimits.WelfareOfficeName);
        var start = f.Date(4);
        var end = f.Date(5, required: false);
        if (start is not null && end is not null && end <= start)
        {
            f.Error(5, "row.end_before_start", "保護の停止・廃止日は保護開始日より後の日付にしてください。");
        }

        return f.HasErrors ? null : new MedicalAssistanceQualification
        {
            PersonId = personId,
            BearerNumber = bearer,
            RecipientNumber = recipient.Value!.Value.Value,
            WelfareOfficeName = office,
            StartDate = start!.Value,
            EndDate = end,
        };
    }

    public override long? ExistingPersonReference(MedicalAssistanceQualification row) => row.PersonId;
}

/// <summary>One row per 医療券・調剤券 (docs/import.md).</summary>
internal sealed class MedicalTicketFile : ImportFileType<MedicalTicket>
{
    public override string Kind => "medical-tickets";

    public override IReadOnlyList<string> Columns { get; } =
    [
        "person_id", "bearer_number", "ticket_type", "valid_from", "valid_until", "issue_number", "treatment_month",
        "designated_institution_code", "designated_institution_name", "prescription_issuer_code", "prescription_issuer_name",
        "injury_name1", "injury_name2", "injury_name3", "treatment_type", "self_pay_amount", "district_contact_name",
        "handling_contact_name", "single_or_combined", "social_insurance", "remarks",
    ];

    public override IReadOnlyList<ImportTarget<MedicalTicket>> Targets { get; } =
    [
        new("MedicalTickets",
            [("PersonId", BigNumber), ("BearerNumber", Text), ("TicketType", Number), ("ValidFrom", Day), ("ValidUntil", Day), ("IssueNumber", Text),
             ("TreatmentMonth", Day), ("DesignatedInstitutionCode", Text), ("DesignatedInstitutionName", Text), ("PrescriptionIssuerCode", Text),
             ("PrescriptionIssuerName", Text), ("InjuryName1", Text), ("InjuryName2", Text), ("InjuryName3", Text), ("TreatmentType", Number),
             ("SelfPayAmount", Number), ("DistrictContactName", Text), ("HandlingContactName", Text), ("SingleOrCombinedUse", Number),
             ("SocialInsurance", Number), ("Remarks", Text)],
            _ => true,
            (t, s) =>
            {
                s.WriteLong(t.PersonId);
                s.WriteText(t.BearerNumber);
                s.WriteInt((int)t.TicketType);
                s.WriteDay(t.ValidFrom);
                s.WriteDay(t.ValidUntil);
                s.WriteText(t.IssueNumber);
                s.WriteDay(t.TreatmentMonth);
                s.WriteText(t.DesignatedInstitutionCode);
                s.WriteText(t.DesignatedInstitutionName);
                s.WriteText(t.PrescriptionIssuerCode);
                s.WriteText(t.PrescriptionIssuerName);
                s.WriteText(t.InjuryName1);
                s.WriteText(t.InjuryName2);
                s.WriteText(t.InjuryName3);
                s.WriteInt((int)t.TreatmentType);
                s.WriteInt(t.SelfPayAmount);
                s.WriteText(t.DistrictContactName);
                s.WriteText(t.HandlingContactName);
                s.WriteInt((int)t.SingleOrCombinedUse);
                s.WriteInt((int)t.SocialInsurance);
                s.WriteText(t.Remarks);
            }),
    ];

    public override MedicalTicket? Parse(FieldReader f)
    {
        var personId = f.PersonId(0);
        var bearer = MedicalAssistanceFields.BearerNumber(f, 1);
        var type = f.Code(2, OqsCodes.MedicalTicketType);
        var from = f.Date(3);
        var until = f.Date(4);
        var issue = f.Text(5, MedicalAssistanceLimits.IssueNumber);
        var month = Month(f, 6);
        var designated = MedicalAssistanceFields.InstitutionCode(f, 7, required: true);
        var designatedName = f.Text(8, MedicalAssistanceLimits.Text);
        var issuer = MedicalAssistanceFields.InstitutionCode(f, 9, required: false);
        var issuerName = f.Text(10, MedicalAssistanceLimits.Text, required: false);
        var injury1 = f.Text(11, MedicalAssistanceLimits.Text);
        var injury2 = f.Text(12, MedicalAssistanceLimits.Text, required: false);
        var injury3 = f.Text(13, MedicalAssistanceLimits.Text, required: false);
        var treatment = f.Code(14, OqsCodes.MedicalTreatmentType);
        var selfPay = f.WholeNumber(15, 0, 9_999_999);
        var district = f.Text(16, MedicalAssistanceLimits.Text, required: false);
        var handling = f.Text(17, MedicalAssistanceLimits.Text, required: false);
        var single = f.Code(18, OqsCodes.SingleOrCombinedUse);
        var social = f.Code(19, OqsCodes.StatusOfSocialInsurance);
        var remarks = f.Text(20, MedicalAssistanceLimits.Remarks, required: false);

        if (from is not null && until is not null && until < from)
        {
            f.Error(4, "row.valid_until_before_from", "有効終了日が有効開始日より前です。");
        }

        // A 医療券・調剤券 is issued for one 診療年月: its validity lies inside that month.
        if (month is not null && from is not null && until is not null
            && (from.Value.Year != month.Value.Year || from.Value.Month != month.Value.Month || until.Value.Year != month.Value.Year || until.Value.Month != month.Value.Month))
        {
            f.Error(6, "row.ticket_outside_month", "医療券・調剤券の有効期間は診療年月の月の中にしてください。");
        }

        if (type == MedicalTicketType.DispensingTicket && treatment is not null && treatment != MedicalTreatmentType.Dispensing)
        {
            f.Error(14, "row.dispensing_treatment_type", "調剤券（券種 02）の診療別は 04（調剤）です。");
        }

        if (issuer.Length > 0 != issuerName.Length > 0 && !f.HasErrors)
        {
            f.Error(10, "row.prescription_issuer_mismatch", "処方箋発行元の医療機関コードと名称は両方入力するか、両方空欄にしてください。");
        }

        return f.HasErrors ? null : new MedicalTicket
        {
            PersonId = personId,
            BearerNumber = bearer,
            TicketType = type!.Value,
            ValidFrom = from!.Value,
            ValidUntil = until!.Value,
            IssueNumber = issue,
            TreatmentMonth = month!.Value,
            DesignatedInstitutionCode = designated,
            DesignatedInstitutionName = designatedName,
            PrescriptionIssuerCode = issuer,
            PrescriptionIssuerName = issuerName,
            InjuryName1 = injury1,
            InjuryName2 = injury2,
            InjuryName3 = injury3,
            TreatmentType = treatment!.Value,
            SelfPayAmount = selfPay!.Value,
            DistrictContactName = district,
            HandlingContactName = handling,
            SingleOrCombinedUse = single!.Value,
            SocialInsurance = social!.Value,
            Remarks = remarks,
        };
    }

    public override long? ExistingPersonReference(MedicalTicket row) => row.PersonId;

    // 診療年月 as yyyy-MM (or yyyyMM, the XML interface's form); kept as the month's first day.
    private static DateOnly? Month(FieldReader f, int column)
    {
        var text = f.Record[column].ToString();
        if (text.Length == 0)
        {
            f.Error(column, "row.required", "必須項目が空です。");
            return null;
        }

        if (DateOnly.TryParseExact(text + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
            || DateOnly.TryParseExact(text + "01", "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out day))
        {
            return day;
        }

        f.Error(column, "row.month_invalid", $"診療年月は yyyy-MM（例 2026-12）で入力してください（入力「{(text.Length <= 20 ? text : text[..20] + "…")}」）。");
        return null;
    }
}
