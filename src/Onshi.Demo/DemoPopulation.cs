using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Onshi.Card.Issuing;
using Onshi.Core.Codes;
using Onshi.Server.Common;
using Onshi.Server.Data;
using Onshi.Server.Import;
using Onshi.Server.MedicalInformation;
using Onshi.Server.Revocation;
using Onshi.Server.Insurance;

namespace Onshi.Demo;

/// <summary>A named demo card.</summary>
public sealed record DemoCard(string Label, string Description, IssuedCard Card);

/// <summary>What <see cref="DemoPopulation.CreateAsync"/> made.</summary>
public sealed record DemoPopulationResult(string Directory, string TrustAnchorFile, long Persons, IReadOnlyList<DemoCard> Cards, string? RevocationListRefusal);

/// <summary>
/// The demo's insured population: a small synthetic population imported through the real import, plus named
/// virtual cards for each case the staff app must handle. Call <see cref="PrepareCertificateAuthority"/> before the
/// server starts (its <c>Jpki:TrustAnchors</c> must be <see cref="DemoPopulationResult.TrustAnchorFile"/>), then
/// <see cref="CreateAsync"/> once the database is migrated. Cards are in DIRECTORY/cards, PINs in DIRECTORY/cards.csv.
/// </summary>
public static class DemoPopulation
{
    public const int SyntheticPersons = 200;
    private const long FirstDemoPersonId = 900_000_001;

    /// <summary>The test CA folder under <paramref name="directory"/>; created once and reused.</summary>
    public static string PrepareCertificateAuthority(string directory, TimeProvider time)
    {
        var caDirectory = Path.Combine(directory, "ca");
        if (!File.Exists(Path.Combine(caDirectory, TestCertificateAuthority.AuthCaKeyFile)))
        {
            using var ca = TestCertificateAuthority.Create(time);
            ca.Save(caDirectory, time);
        }
        else if (!File.Exists(Path.Combine(caDirectory, TestCertificateAuthority.VisualCaFile)))
        {
            // A demo folder from before 目視確認 needed the card's proof: add the 券面AP CA (cards issued earlier cannot prove presence).
            using var ca = TestCertificateAuthority.Load(caDirectory);
            ca.AddVisualCaIfMissing(time);
            ca.Save(caDirectory, time);
        }

        return Path.Combine(caDirectory, TestCertificateAuthority.AuthCaFile);
    }

    public static async Task<DemoPopulationResult> CreateAsync(IServiceProvider services, string directory, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(services);
        var anchorFile = PrepareCertificateAuthority(directory, time);
        using var ca = TestCertificateAuthority.Load(Path.GetDirectoryName(anchorFile)!);
        var today = JapanTime.Today(time);

        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        if (await db.InsuredPersons.AnyAsync(p => p.Id >= FirstDemoPersonId, cancellationToken).ConfigureAwait(false))
        {
            throw new InvalidOperationException("デモ用の被保険者は既に登録されています（このデータベースでは一度だけ作成できます）。");
        }

        // 1. A synthetic population through the real import (insurers first; persons before what refers to them).
        var dataDirectory = Path.Combine(directory, "data");
        SyntheticDataWriter.Write(dataDirectory, new SyntheticOptions { Persons = SyntheticPersons, Seed = 20250602, Today = today });
        var importer = scope.ServiceProvider.GetRequiredService<CsvImporter>();
        foreach (var kind in SyntheticDataWriter.Files)
        {
            var path = Path.Combine(dataDirectory, kind + ".csv");
            var result = await importer.ImportAsync(kind, () => File.OpenRead(path), null, cancellationToken).ConfigureAwait(false);
            if (!result.Applied)
            {
                throw new InvalidOperationException($"デモデータ {kind} を取り込めませんでした: {string.Join(" / ", result.Errors.Take(3))}");
            }
        }

        // 2. The named demo persons, one per case.
        var insurer = await db.Insurers.AsNoTracking().Where(i => i.Number.StartsWith("01")).Select(i => i.Number).FirstAsync(cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        var cases = new (string Label, string Description, bool Lost, bool Link, Func<CardIssueRequest, CardIssueRequest> Adjust, int? TriesLeft)[]
        {
            ("有効", "有効な資格・利用登録済み", false, true, r => r, null),
            ("暗証番号を間違えやすい", "有効・暗証番号の残り試行回数1回", false, true, r => r, 1),
            ("暗証番号ロック", "暗証番号がロックされたカード", false, true, r => r, 0),
            ("証明書期限切れ（猶予期間内）", "利用者証明用電子証明書が1か月前に失効（3か月の猶予内：資格情報のみ）", false, true,
                r => r with { CertificateNotBefore = now.AddYears(-5), CertificateNotAfter = now.AddMonths(-1) }, null),
            ("証明書期限切れ（猶予期間後）", "電子証明書が4か月前に失効（猶予期間を過ぎている）", false, true,
                r => r with { CertificateNotBefore = now.AddYears(-5), CertificateNotAfter = now.AddMonths(-4) }, null),
            ("資格喪失", "利用登録済みだが資格を喪失している（資格有効性 2）", true, true, r => r, null),
            ("顔認証マイナンバーカード", "暗証番号のない顔認証マイナンバーカード", false, true, r => r with { FaceAuthenticationOnly = true }, null),
            ("未登録", "健康保険証利用登録をしていないカード", false, false, r => r, null),
            ("高齢受給者・限度額", "70〜74歳：高齢受給者証(2割)と限度額適用認定証(一般)", false, true, r => r, null),
            ("特定疾病", "特定疾病療養受療証(人工透析・自己負担限度額1万円)", false, true, r => r, null),
            (MedicalAssistanceLabel, "生活保護：医療保険なし・医療扶助（公費負担者番号・受給者番号・福祉事務所）と当月の医療券", false, true, r => r, null),
        };
        var (surnames, given) = (SyntheticNames.Surnames, SyntheticNames.FemaleGivenNames);
        var persons = new List<(SyntheticPerson Person, string Label, Func<CardIssueRequest, CardIssueRequest> Adjust, int? TriesLeft)>();
        for (var i = 0; i < cases.Length; i++)
        {
            var id = FirstDemoPersonId + i;
            var birthdate = cases[i].Label == "高齢受給者・限度額"
                ? today.AddYears(-72).AddDays(-40)
                : new DateOnly(1960 + (i * 5), 1 + i, 10 + i);
            var person = new SyntheticPerson(id, $"{surnames[i].Kanji}　{given[i].Kanji}", $"{surnames[i].Kana}　{given[i].Kana}", Sex.Female, birthdate,
                $"東京都千代田区千代田{i + 1}-1", "100-0001", insurer, !cases[i].Lost);
            db.InsuredPersons.Add(new InsuredPerson { Id = id, Name = person.Name, NameKana = person.NameKana, Sex = Sex.Female, Birthdate = birthdate, Address = person.Address, PostNumber = person.PostNumber });
            if (cases[i].Label == MedicalAssistanceLabel)
            {
                // A 生活保護 patient has no 医療保険: only the 福祉事務所's 医療扶助 and this month's 医療券.
                AddMedicalAssistance(db, id, today);
                persons.Add((person, cases[i].Label, cases[i].Adjust, cases[i].TriesLeft));
                continue;
            }

            db.Qualifications.Add(new Qualification
            {
                PersonId = id,
                InsurerNumber = insurer,
                Symbol = "デモ",
                Number = (9000 + i).ToString(System.Globalization.CultureInfo.InvariantCulture),
                Branch = "00",
                PersonalFamilyClassification = PersonalFamilyClassification.Insured,
                InsuredName = person.Name,
                CardClassification = InsuredCardClassification.General,
                QualificationDate = new DateOnly(2015, 4, 1),
                DisqualificationDate = cases[i].Lost ? today.AddDays(-10) : null,
                ReasonOfLoss = cases[i].Lost ? ReasonOfLoss.OtherInsuranceAcquired : null,
                ContributionRatio = cases[i].Label == "高齢受給者・限度額" ? PartialContributionRatio.TwoTenths : PartialContributionRatio.ThreeTenths,
            });
            AddCertificatesAndRecords(db, cases[i].Label, id, insurer, today);
            persons.Add((person, cases[i].Label, cases[i].Adjust, cases[i].TriesLeft));
        }

        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        var descriptions = cases.ToDictionary(c => c.Label, c => c.Description, StringComparer.Ordinal);
        var cards = SyntheticCards.IssueAndWrite(persons, ca, directory, time, seed: 20250602, writeLinks: false, describe: label => descriptions.GetValueOrDefault(label));

        // The demo panel shows the text beside each card file, so staff see which case they are placing.
        foreach (var card in cards)
        {
            await File.WriteAllTextAsync(Path.Combine(directory, Path.ChangeExtension(card.File, ".txt")), $"{card.Label}：{descriptions[card.Label]}", cancellationToken).ConfigureAwait(false);
        }

        ca.Save(Path.GetDirectoryName(anchorFile)!, time);

        // 3. Link every card except 未登録, as 健康保険証利用登録 does.
        var linked = cards.Where((c, i) => cases[i].Link).ToList();
        SyntheticCards.WriteLinks(Path.Combine(directory, "card-links.csv"), linked);
        var links = await importer.ImportAsync("card-links", () => File.OpenRead(Path.Combine(directory, "card-links.csv")), null, cancellationToken).ConfigureAwait(false);
        if (!links.Applied)
        {
            throw new InvalidOperationException("デモカードの利用登録に失敗しました: " + string.Join(" / ", links.Errors.Take(3)));
        }

        // 4. The test CA's CRL, so that revocation is checked in the demo as in production.
        var crl = await File.ReadAllBytesAsync(Path.Combine(Path.GetDirectoryName(anchorFile)!, TestCertificateAuthority.AuthCrlFile), cancellationToken).ConfigureAwait(false);
        var stored = await scope.ServiceProvider.GetRequiredService<StoreRevocationList>().ExecuteAsync(crl, cancellationToken).ConfigureAwait(false);

        var total = await db.InsuredPersons.LongCountAsync(cancellationToken).ConfigureAwait(false);
        return new DemoPopulationResult(directory, anchorFile, total,
            [.. cards.Select((c, i) => new DemoCard(cases[i].Label, cases[i].Description, c))],
            stored.Succeeded ? null : stored.Refusal!.Code);
    }

    /// <summary>The demo card of a 生活保護 patient (公費, issue 19 #3).</summary>
    public const string MedicalAssistanceLabel = "生活保護（医療扶助）";

    /// <summary>公費負担者番号 of the demo 福祉事務所 (法別 12 生活保護, 東京都 13, 実施機関 601).</summary>
    public static readonly string DemoBearerNumber = Onshi.Core.Identifiers.PublicExpenseBearerNumber.FromBody("1213601").Value;

    private static void AddMedicalAssistance(AppDbContext db, long personId, DateOnly today)
    {
        var month = new DateOnly(today.Year, today.Month, 1);
        db.MedicalAssistanceQualifications.Add(new Server.MedicalAssistance.MedicalAssistanceQualification
        {
            PersonId = personId,
            BearerNumber = DemoBearerNumber,
            RecipientNumber = Onshi.Core.Identifiers.PublicExpenseRecipientNumber.FromBody("700123").Value,
            WelfareOfficeName = "千代田区福祉事務所",
            StartDate = new DateOnly(2022, 4, 1),
        });
        db.MedicalTickets.Add(new Server.MedicalAssistance.MedicalTicket
        {
            PersonId = personId,
            BearerNumber = DemoBearerNumber,
            TicketType = MedicalTicketType.MedicalTicket,
            ValidFrom = month,
            ValidUntil = month.AddMonths(1).AddDays(-1),
            IssueNumber = "0000123",
            TreatmentMonth = month,
            DesignatedInstitutionCode = Onshi.Core.Identifiers.MedicalInstitutionCode.FromBody("131234567").Value,
            DesignatedInstitutionName = "デモ内科クリニック",
            PrescriptionIssuerCode = "",
            PrescriptionIssuerName = "",
            InjuryName1 = "本態性高血圧症",
            InjuryName2 = "",
            InjuryName3 = "",
            TreatmentType = MedicalTreatmentType.Outpatient,
            SelfPayAmount = 0,
            DistrictContactName = "福祉　一郎",
            HandlingContactName = "",
            SingleOrCombinedUse = SingleOrCombinedUse.SingleUse,
            SocialInsurance = StatusOfSocialInsurance.Absent,
            Remarks = "",
        });
    }

    /// <summary>What makes each demo case's screens visible: 限度額, 高齢受給者証, 特定疾病, and medical information to consent to.</summary>
    private static void AddCertificatesAndRecords(AppDbContext db, string label, long personId, string insurer, DateOnly today)
    {
        var fiscalStart = new DateOnly(today.Month >= 8 ? today.Year : today.Year - 1, 8, 1);
        switch (label)
        {
            case "有効":
                db.LimitCertificates.Add(new LimitCertificate { PersonId = personId, InsurerNumber = insurer, Classification = LimitCertificateClassification.LimitApplication, Bracket = LimitApplicationBracket.BracketU, IssuedOn = fiscalStart, ValidFrom = fiscalStart, ValidUntil = fiscalStart.AddYears(1).AddDays(-1) });
                db.MedicationDispensings.Add(new MedicationDispensing { PersonId = personId, OccurredOn = today.AddDays(-20), InstitutionName = "デモ中央薬局", DrugCode = "2149039F1020", DrugName = "アムロジピン錠5mg", Dose = "1錠 1日1回 朝食後", Days = 28 });
                db.MedicationDispensings.Add(new MedicationDispensing { PersonId = personId, OccurredOn = today.AddDays(-48), InstitutionName = "デモ中央薬局", DrugCode = "3969007F1023", DrugName = "メトホルミン塩酸塩錠250mg", Dose = "2錠 1日2回 朝夕食後", Days = 28 });
                db.TreatmentRecords.Add(new TreatmentRecord { PersonId = personId, OccurredOn = today.AddDays(-20), InstitutionName = "デモ内科クリニック", DiagnosisName = "本態性高血圧症", ProcedureName = "再診・血圧測定", Inpatient = false });
                db.HealthCheckResults.Add(new HealthCheckResult { PersonId = personId, OccurredOn = today.AddMonths(-5), InstitutionName = "デモ健診センター", HeightCm = 158.2m, WeightKg = 56.4m, WaistCm = 78.0m, SystolicMmHg = 138, DiastolicMmHg = 86, HbA1cPercent = 6.1m, LdlMgDl = 132 });
                break;
            case "高齢受給者・限度額":
                db.ElderlyRecipientCertificates.Add(new ElderlyRecipientCertificate { PersonId = personId, InsurerNumber = insurer, ContributionRatio = PartialContributionRatio.TwoTenths, IssuedOn = fiscalStart, ValidFrom = fiscalStart, ValidUntil = fiscalStart.AddYears(1).AddDays(-1) });
                db.LimitCertificates.Add(new LimitCertificate { PersonId = personId, InsurerNumber = insurer, Classification = LimitCertificateClassification.LimitApplication, Bracket = LimitApplicationBracket.General, IssuedOn = fiscalStart, ValidFrom = fiscalStart, ValidUntil = fiscalStart.AddYears(1).AddDays(-1) });
                db.MedicationDispensings.Add(new MedicationDispensing { PersonId = personId, OccurredOn = today.AddDays(-14), InstitutionName = "デモ中央薬局", DrugCode = "1149019F1560", DrugName = "ロキソプロフェンナトリウム錠60mg", Dose = "1錠 疼痛時", Days = 10 });
                break;
            case "特定疾病":
                db.SpecificDiseaseCertificates.Add(new SpecificDiseaseCertificate { PersonId = personId, InsurerNumber = insurer, Category = SpecificDiseaseCategory.ChronicRenalFailureOnDialysis, SelfPayLimit = 10_000, IssuedOn = new DateOnly(2020, 4, 1), ValidFrom = new DateOnly(2020, 4, 1) });
                break;
        }
    }
}
