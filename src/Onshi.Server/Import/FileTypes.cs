using Onshi.Core.Codes;
using Onshi.Server.Insurance;
using static Onshi.Server.Import.ColumnKind;

namespace Onshi.Server.Import;

/// <summary>The file types of `onshi import KIND FILE` (docs/import.md).</summary>
public static class ImportFileTypes
{
    public static readonly IReadOnlyList<string> Kinds =
        ["insurers", "persons", "elderly-certificates", "limit-certificates", "specific-disease-certificates", "medications", "checkups", "treatments", "surgeries", "medical-assistance", "medical-tickets", "card-links"];
}

internal sealed class InsurerFile : ImportFileType<InsurerFile.Row>
{
    public sealed record Row(string Number, string Name);

    public override string Kind => "insurers";

    public override IReadOnlyList<string> Columns { get; } = ["insurer_number", "name"];

    public override IReadOnlyList<ImportTarget<Row>> Targets { get; } =
    [
        new("Insurers", [("Number", Text), ("Name", Text)], _ => true, (r, s) =>
        {
            s.WriteText(r.Number);
            s.WriteText(r.Name);
        }),
    ];

    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);

    public override Row? Parse(FieldReader f)
    {
        var number = f.InsurerNumber(0, mustBeKnown: false);
        var name = f.Text(1, InsuranceLimits.InsurerName);
        if (number.Length > 0 && !_seen.Add(number))
        {
            f.Error(0, "row.duplicate_in_file", $"保険者番号 {number} がファイル内で重複しています。");
        }

        return f.HasErrors ? null : new Row(number, name);
    }

    public override string? NewInsurer(Row row) => row.Number;
}

/// <summary>
/// One row per qualification; the person's columns are repeated on each of their rows, the rows of one person are
/// consecutive, and persons appear in ascending person_id (so duplicates are found without remembering ids). A person
/// with no 医療保険 (a 生活保護 patient, whose 医療扶助 comes in the medical-assistance file) is one row with the
/// qualification columns all empty.
/// </summary>
internal sealed class PersonFile : ImportFileType<PersonFile.Row>
{
    public sealed record Row(InsuredPerson? NewPerson, Qualification? Qualification);

    private long _currentPerson;
    private readonly KeptFields _currentPersonFields = new();
    private DateOnly? _currentBirthdate;

    public override string Kind => "persons";

    public override IReadOnlyList<string> Columns { get; } =
    [
        "person_id", "name", "name_kana", "sex", "birthdate", "post_number", "address",
        "insurer_number", "symbol", "number", "branch", "relationship", "insured_name", "card_classification",
        "qualification_date", "disqualification_date", "loss_reason", "card_issued_on", "card_valid_from", "card_valid_until",
        "contribution_ratio", "preschool",
    ];

    public override IReadOnlyList<ImportTarget<Row>> Targets { get; } =
    [
        new("InsuredPersons", [("Id", BigNumber), ("Name", Text), ("NameKana", Text), ("Sex", Number), ("Birthdate", Day), ("Address", Text), ("PostNumber", Text)],
            r => r.NewPerson is not null,
            (r, s) =>
            {
                var p = r.NewPerson!;
                s.WriteLong(p.Id);
                s.WriteText(p.Name);
                s.WriteText(p.NameKana);
                s.WriteInt((int)p.Sex);
                s.WriteDay(p.Birthdate);
                s.WriteText(p.Address);
                s.WriteText(p.PostNumber);
            }),
        new("Qualifications",
            [("PersonId", BigNumber), ("InsurerNumber", Text), ("Symbol", Text), ("Number", Text), ("Branch", Text), ("PersonalFamilyClassification", Number),
             ("InsuredName", Text), ("CardClassification", Number), ("QualificationDate", Day), ("DisqualificationDate", Day), ("ReasonOfLoss", Number),
             ("CardIssuedOn", Day), ("CardValidFrom", Day), ("CardValidUntil", Day), ("ContributionRatio", Number), ("Preschool", Flag)],
            r => r.Qualification is not null,
            (r, s) =>
            {
                var q = r.Qualification!;
                s.WriteLong(q.PersonId);
                s.WriteText(q.InsurerNumber);
                s.WriteText(q.Symbol);
                s.WriteText(q.Number);
                s.WriteText(q.Branch);
                s.WriteInt((int)q.PersonalFamilyClassification);
                s.WriteText(q.InsuredName);
                s.WriteInt((int)q.CardClassification);
                s.WriteDay(q.QualificationDate);
                s.WriteDay(q.DisqualificationDate);
                s.WriteInt((int?)q.ReasonOfLoss);
                s.WriteDay(q.CardIssuedOn);
                s.WriteDay(q.CardValidFrom);
                s.WriteDay(q.CardValidUntil);
                s.WriteInt((int)q.ContributionRatio);
                s.WriteFlag(q.Preschool);
            }),
    ];

    public override Row? Parse(FieldReader f)
    {
        var id = f.PersonId(0);
        InsuredPerson? newPerson = null;
        DateOnly? birthdate = null;
        if (id != 0 && id == _currentPerson)
        {
            // A further qualification of the same person: the person's columns must repeat unchanged.
            for (var column = 1; column <= 6; column++)
            {
                if (!f.Record[column].SequenceEqual(_currentPersonFields[column - 1]))
                {
                    f.Error(column, "row.person_columns_differ", "同じ person_id の行で個人の項目（氏名〜住所）が前の行と異なります。");
                }
            }

            birthdate = _currentBirthdate;
        }
        else
        {
            if (id != 0 && id < _currentPerson)
            {
                f.Error(0, "row.person_id_not_ascending", "person_id は昇順に並べ、同じ人の行は続けて書いてください（同じ person_id が離れた行にあるか、順序が逆です）。");
            }

            var name = f.Text(1, InsuranceLimits.PersonName);
            var kana = f.Text(2, InsuranceLimits.PersonName);
            if (kana.Length > 0 && !IsKatakana(kana))
            {
                f.Error(2, "row.kana_invalid", "氏名カナはカタカナ（全角または半角）と空白で入力してください。");
            }

            var sex = f.Code(3, OqsCodes.Sex);
            birthdate = f.Date(4);
            var post = f.Text(5, InsuranceLimits.PostNumber);
            if (post.Length > 0 && !IsPostNumber(post))
            {
                f.Error(5, "row.post_number_invalid", "郵便番号は 123-4567 の形で入力してください。");
            }

            var address = f.Text(6, InsuranceLimits.Address);
            if (id != 0 && id > _currentPerson)
            {
                _currentPerson = id;
                _currentBirthdate = birthdate;
                _currentPersonFields.Keep(f.Record, 1, 6);
            }

            if (sex is not null && birthdate is not null)
            {
                newPerson = new InsuredPerson { Id = id, Name = name, NameKana = kana, Sex = sex.Value, Birthdate = birthdate.Value, Address = address, PostNumber = post };
            }
        }

        if (AllEmpty(f.Record, 7, 21))
        {
            if (newPerson is null && !f.HasErrors)
            {
                f.Error(7, "row.person_without_qualification_repeated", "資格の項目が空の行は、その人の唯一の行にしてください（医療保険のない人: 医療扶助は medical-assistance ファイルで取り込みます）。");
            }

            return f.HasErrors ? null : new Row(newPerson, null);
        }

        var insurer = f.InsurerNumber(7);
        var symbol = f.Text(8, InsuranceLimits.Symbol, required: false);
        var number = f.Text(9, InsuranceLimits.Number);
        var branch = f.Text(10, InsuranceLimits.Branch);
        if (branch.Length > 0 && (branch.Length != 2 || !char.IsAsciiDigit(branch[0]) || !char.IsAsciiDigit(branch[1])))
        {
            f.Error(10, "row.branch_invalid", "枝番は半角数字2桁（例 00、01）で入力してください。");
        }

        var relationship = f.Code(11, OqsCodes.PersonalFamilyClassification);
        var insuredName = f.Text(12, InsuranceLimits.PersonName);
        var classification = f.Code(13, OqsCodes.InsuredCardClassification);
        var from = f.Date(14);
        var lostOn = f.Date(15, required: false);
        var reason = f.Code(16, OqsCodes.ReasonOfLoss, required: false);
        var issued = f.Date(17, required: false);
        var validFrom = f.Date(18, required: false);
        var validUntil = f.Date(19, required: false);
        var ratio = f.Code(20, OqsCodes.PartialContributionRatio);
        var preschool = f.Record[21].Length == 0 ? (PreschoolClassification?)null : f.Code(21, OqsCodes.PreschoolClassification);

        if (lostOn is not null && from is not null && lostOn <= from)
        {
            f.Error(15, "row.disqualification_before_qualification", "資格喪失日は資格取得日より後の日付にしてください。");
        }

        if ((lostOn is null) != (reason is null) && !f.RowErrors.Any(e => e.Column == "loss_reason"))
        {
            f.Error(16, "row.loss_reason_mismatch", "資格喪失日と喪失事由は両方入力するか、両方空欄にしてください。");
        }

        if (validFrom is not null && validUntil is not null && validUntil < validFrom)
        {
            f.Error(19, "row.valid_until_before_from", "証の有効終了日が有効開始日より前です。");
        }

        if (classification == InsuredCardClassification.MedicalAssistance)
        {
            f.Error(13, "row.assistance_in_persons", "医療扶助（被保険者証区分 A1）は persons ではなく medical-assistance ファイルで取り込んでください。");
        }

        if (birthdate is not null && from is not null && from < birthdate)
        {
            f.Error(14, "row.qualification_before_birth", "資格取得日が生年月日より前です。");
        }

        if (f.HasErrors)
        {
            return null;
        }

        return new Row(newPerson, new Qualification
        {
            PersonId = id,
            InsurerNumber = insurer,
            Symbol = symbol,
            Number = number,
            Branch = branch,
            PersonalFamilyClassification = relationship!.Value,
            InsuredName = insuredName,
            CardClassification = classification!.Value,
            QualificationDate = from!.Value,
            DisqualificationDate = lostOn,
            ReasonOfLoss = reason,
            CardIssuedOn = issued,
            CardValidFrom = validFrom,
            CardValidUntil = validUntil,
            ContributionRatio = ratio!.Value,
            Preschool = preschool is not null,
        });
    }

    public override long? NewPersonReference(Row row) => row.NewPerson?.Id;

    private static bool AllEmpty(CsvRecord record, int first, int last)
    {
        for (var column = first; column <= last; column++)
        {
            if (record[column].Length > 0)
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsKatakana(string text)
    {
        foreach (var c in text)
        {
            if (!(c is (>= '\u30A1' and <= '\u30FC') or (>= '\uFF66' and <= '\uFF9F') or ' ' or '\u3000'))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsPostNumber(string text) =>
        text.Length == 8 && text[3] == '-' && text.AsSpan(0, 3).ContainsAnyExceptInRange('0', '9') is false && text.AsSpan(4).ContainsAnyExceptInRange('0', '9') is false;
}

/// <summary>Shared columns of the three certificate files: person_id, insurer_number, issued_on, valid_from, valid_until.</summary>
internal abstract class CertificateFile<TCertificate> : ImportFileType<TCertificate>
    where TCertificate : PersonCertificate
{
    protected static readonly (string, ColumnKind)[] CommonColumns =
        [("PersonId", BigNumber), ("InsurerNumber", Text), ("IssuedOn", Day), ("ValidFrom", Day), ("ValidUntil", Day)];

    protected static void WriteCommon(PersonCertificate c, IRowSink s)
    {
        s.WriteLong(c.PersonId);
        s.WriteText(c.InsurerNumber);
        s.WriteDay(c.IssuedOn);
        s.WriteDay(c.ValidFrom);
        s.WriteDay(c.ValidUntil);
    }

    protected static bool ReadCommon(FieldReader f, TCertificate c)
    {
        c.PersonId = f.PersonId(0);
        c.InsurerNumber = f.InsurerNumber(1);
        c.IssuedOn = f.Date(2, required: false);
        var from = f.Date(3);
        c.ValidUntil = f.Date(4, required: false);
        if (from is not null)
        {
            c.ValidFrom = from.Value;
            if (c.ValidUntil is not null && c.ValidUntil < from)
            {
                f.Error(4, "row.valid_until_before_from", "有効終了日が有効開始日より前です。");
            }
        }

        return !f.HasErrors;
    }

    public override long? ExistingPersonReference(TCertificate row) => row.PersonId;
}

internal sealed class ElderlyCertificateFile : CertificateFile<ElderlyRecipientCertificate>
{
    public override string Kind => "elderly-certificates";

    public override IReadOnlyList<string> Columns { get; } = ["person_id", "insurer_number", "issued_on", "valid_from", "valid_until", "contribution_ratio"];

    public override IReadOnlyList<ImportTarget<ElderlyRecipientCertificate>> Targets { get; } =
    [
        new("ElderlyRecipientCertificates", [.. CommonColumns, ("ContributionRatio", Number)], _ => true, (c, s) =>
        {
            WriteCommon(c, s);
            s.WriteInt((int)c.ContributionRatio);
        }),
    ];

    public override ElderlyRecipientCertificate? Parse(FieldReader f)
    {
        var c = new ElderlyRecipientCertificate { InsurerNumber = "" };
        ReadCommon(f, c);
        var ratio = f.Code(5, OqsCodes.PartialContributionRatio);
        if (ratio == PartialContributionRatio.OneTenth)
        {
            f.Error(5, "row.elderly_ratio_invalid", "高齢受給者証の負担割合は 020（2割）または 030（3割）です。");
        }

        c.ContributionRatio = ratio ?? default;
        return f.HasErrors ? null : c;
    }
}

internal sealed class LimitCertificateFile : CertificateFile<LimitCertificate>
{
    public override string Kind => "limit-certificates";

    public override IReadOnlyList<string> Columns { get; } = ["person_id", "insurer_number", "issued_on", "valid_from", "valid_until", "classification", "bracket", "long_term_date"];

    public override IReadOnlyList<ImportTarget<LimitCertificate>> Targets { get; } =
    [
        new("LimitCertificates", [.. CommonColumns, ("Classification", Number), ("Bracket", Number), ("LongTermHospitalizationDate", Day)], _ => true, (c, s) =>
        {
            WriteCommon(c, s);
            s.WriteInt((int)c.Classification);
            s.WriteInt((int)c.Bracket);
            s.WriteDay(c.LongTermHospitalizationDate);
        }),
    ];

    public override LimitCertificate? Parse(FieldReader f)
    {
        var c = new LimitCertificate { InsurerNumber = "" };
        ReadCommon(f, c);
        c.Classification = f.Code(5, OqsCodes.LimitCertificateClassification) ?? default;
        c.Bracket = f.Code(6, OqsCodes.LimitApplicationBracket) ?? default;
        c.LongTermHospitalizationDate = f.Date(7, required: false);
        return f.HasErrors ? null : c;
    }
}

internal sealed class SpecificDiseaseCertificateFile : CertificateFile<SpecificDiseaseCertificate>
{
    public override string Kind => "specific-disease-certificates";

    public override IReadOnlyList<string> Columns { get; } = ["person_id", "insurer_number", "issued_on", "valid_from", "valid_until", "category", "self_pay_limit"];

    public override IReadOnlyList<ImportTarget<SpecificDiseaseCertificate>> Targets { get; } =
    [
        new("SpecificDiseaseCertificates", [.. CommonColumns, ("Category", Number), ("SelfPayLimit", Number)], _ => true, (c, s) =>
        {
            WriteCommon(c, s);
            s.WriteInt((int)c.Category);
            s.WriteInt(c.SelfPayLimit);
        }),
    ];

    public override SpecificDiseaseCertificate? Parse(FieldReader f)
    {
        var c = new SpecificDiseaseCertificate { InsurerNumber = "" };
        ReadCommon(f, c);
        c.Category = f.Code(5, OqsCodes.SpecificDiseaseCategory) ?? default;
        var limit = f.WholeNumber(6, 0, 1_000_000);
        if (limit is not null and not (10_000 or 20_000))
        {
            f.Error(6, "row.self_pay_limit_invalid", "特定疾病の自己負担限度額は 10000 または 20000（円）です。");
        }

        c.SelfPayLimit = limit ?? 0;
        return f.HasErrors ? null : c;
    }
}

/// <summary>A copy of some fields of a record in one reused buffer (no string per field).</summary>
internal sealed class KeptFields
{
    private char[] _chars = new char[512];
    private readonly int[] _ends = new int[32];

    public ReadOnlySpan<char> this[int index] => _chars.AsSpan(index == 0 ? 0 : _ends[index - 1], _ends[index] - (index == 0 ? 0 : _ends[index - 1]));

    public void Keep(CsvRecord record, int first, int last)
    {
        var used = 0;
        for (var column = first; column <= last; column++)
        {
            var field = record[column];
            if (used + field.Length > _chars.Length)
            {
                Array.Resize(ref _chars, Math.Max(_chars.Length * 2, used + field.Length));
            }

            field.CopyTo(_chars.AsSpan(used));
            used += field.Length;
            _ends[column - first] = used;
        }
    }
}
