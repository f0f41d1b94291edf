using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Onshi.Core.Codes;
using Onshi.Core.Identifiers;
using Onshi.Server.Data;

namespace Onshi.Server.Insurance;

/// <summary>
/// 資格確認: finds a person's qualifications by card linkage (マイナ保険証) or by the insurance-card fields (レセコン
/// 被保険者証情報 query) and decides 資格有効性. Hot path of every confirmation (issue 7): each lookup is one compiled,
/// untracked SQL statement driven by an index (the current-link index, or the 保険者番号+番号+記号+枝番 index), and
/// the decision runs in memory over the person's few rows.
/// </summary>
public sealed class QualificationLookup(AppDbContext db)
{
    // A compiled query belongs to one EF model, and a process may hold two (SQLite and PostgreSQL, as the tests do).
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<Microsoft.EntityFrameworkCore.Metadata.IModel, CompiledQueries> Compiled = [];

    // The one projection of a person's rows, shared by the three lookups (by card, by insurance card, by ids); the
    // queries splice it in with InlinedExpressions, so each still runs as a single statement.
    private static readonly Expression<Func<AppDbContext, InsuredPerson, DateOnly, DateTimeOffset?, PersonRows>> PersonProjection =
        (db, p, asOf, certificateNotAfter) => new PersonRows
        {
            PersonId = p.Id,
            CertificateNotAfter = certificateNotAfter,
            Name = p.Name,
            NameKana = p.NameKana,
            Sex = p.Sex,
            Birthdate = p.Birthdate,
            Address = p.Address,
            PostNumber = p.PostNumber,
            Qualifications = p.Qualifications.Select(q => new QualificationRow
            {
                Id = q.Id,
                InsurerNumber = q.InsurerNumber,
                // A correlated scalar subquery, not a join: SQLite cannot flatten a join on the right of a LEFT JOIN and
                // would materialise (scan) every qualification of every person on each lookup.
                InsurerName = db.Insurers.Where(i => i.Number == q.InsurerNumber).Select(i => i.Name).First(),
                Symbol = q.Symbol,
                Number = q.Number,
                Branch = q.Branch,
                PersonalFamilyClassification = q.PersonalFamilyClassification,
                InsuredName = q.InsuredName,
                CardClassification = q.CardClassification,
                QualificationDate = q.QualificationDate,
                DisqualificationDate = q.DisqualificationDate,
                ReasonOfLoss = q.ReasonOfLoss,
                CardIssuedOn = q.CardIssuedOn,
                CardValidFrom = q.CardValidFrom,
                CardValidUntil = q.CardValidUntil,
                ContributionRatio = q.ContributionRatio,
                Preschool = q.Preschool,
            }).ToList(),
            Elderly = p.ElderlyRecipientCertificates
                .Where(c => c.ValidFrom <= asOf && (c.ValidUntil == null || c.ValidUntil >= asOf))
                .Select(c => new CertificateRow<ElderlyRecipientSnapshot>(c.InsurerNumber, new ElderlyRecipientSnapshot(c.IssuedOn, c.ValidFrom, c.ValidUntil, c.ContributionRatio)))
                .ToList(),
            Limits = p.LimitCertificates
                .Where(c => c.ValidFrom <= asOf && (c.ValidUntil == null || c.ValidUntil >= asOf))
                .Select(c => new CertificateRow<LimitCertificateSnapshot>(c.InsurerNumber, new LimitCertificateSnapshot(c.Classification, c.Bracket, c.IssuedOn, c.ValidFrom, c.ValidUntil, c.LongTermHospitalizationDate)))
                .ToList(),
            SpecificDiseases = p.SpecificDiseaseCertificates
                .Where(c => c.ValidFrom <= asOf && (c.ValidUntil == null || c.ValidUntil >= asOf))
                .Select(c => new CertificateRow<SpecificDiseaseSnapshot>(c.InsurerNumber, new SpecificDiseaseSnapshot(c.Category, c.IssuedOn, c.ValidFrom, c.ValidUntil, c.SelfPayLimit)))
                .ToList(),
            Assistance = p.MedicalAssistanceQualifications.Select(a => new AssistanceRow(a.Id, a.BearerNumber, a.RecipientNumber, a.WelfareOfficeName, a.StartDate, a.EndDate)).ToList(),
            Tickets = p.MedicalTickets
                .Where(t => t.ValidFrom <= asOf && t.ValidUntil >= asOf)
                .Select(t => new CertificateRow<MedicalTicketSnapshot>(t.BearerNumber, new MedicalTicketSnapshot(
                    t.TicketType, t.ValidFrom, t.ValidUntil, t.IssueNumber, t.TreatmentMonth, t.DesignatedInstitutionCode, t.DesignatedInstitutionName,
                    t.PrescriptionIssuerCode, t.PrescriptionIssuerName, t.InjuryName1, t.InjuryName2, t.InjuryName3, t.TreatmentType, t.SelfPayAmount,
                    t.DistrictContactName, t.HandlingContactName, t.SingleOrCombinedUse, t.SocialInsurance, t.Remarks)))
                .ToList(),
        };

    private CompiledQueries Queries => Compiled.GetValue(db.Model, _ => new CompiledQueries());

    private sealed class CompiledQueries
    {
        // One statement: the current link, its person, every qualification with its insurer name, and the certificates
        // valid on the day. Certificates are few per person, so the single query's row product stays tiny.
        public readonly Func<AppDbContext, string, DateOnly, CancellationToken, Task<PersonRows?>> ByCard =
            EF.CompileAsyncQuery(InlinedExpressions.Inline<Func<AppDbContext, string, DateOnly, CancellationToken, PersonRows?>>((AppDbContext db, string linkageKey, DateOnly asOf, CancellationToken _) =>
                db.CardLinks.AsNoTracking().AsSingleQuery()
                    .Where(l => l.LinkageKey == linkageKey && l.ReplacedAt == null)
                    .Select(l => PersonProjection.Invoke(db, l.Person!, asOf, (DateTimeOffset?)l.CertificateNotAfter))
                    .FirstOrDefault()));

        // One person by id (OQSmutic: the persons are chosen by their 医療券, then answered as a card lookup would).
        public readonly Func<AppDbContext, long, DateOnly, CancellationToken, Task<PersonRows?>> ByPerson =
            EF.CompileAsyncQuery(InlinedExpressions.Inline<Func<AppDbContext, long, DateOnly, CancellationToken, PersonRows?>>((AppDbContext db, long personId, DateOnly asOf, CancellationToken _) =>
                db.InsuredPersons.AsNoTracking().AsSingleQuery()
                    .Where(p => p.Id == personId)
                    .Select(p => PersonProjection.Invoke(db, p, asOf, (DateTimeOffset?)null))
                    .FirstOrDefault()));

        // Driven by the qualification index (IN (subquery)), never by a scan of persons; at most 10 persons are read,
        // which is already "複数該当".
        public readonly Func<AppDbContext, string, string, string, string?, DateOnly, DateOnly, IAsyncEnumerable<PersonRows>> ByInsuranceCard =
            EF.CompileAsyncQuery(InlinedExpressions.Inline<Func<AppDbContext, string, string, string, string?, DateOnly, DateOnly, IQueryable<PersonRows>>>((AppDbContext db, string insurerNumber, string symbol, string number, string? branch, DateOnly birthdate, DateOnly asOf) =>
                db.InsuredPersons.AsNoTracking().AsSingleQuery()
                    .Where(p => db.Qualifications
                            .Where(q => q.InsurerNumber == insurerNumber && q.Number == number && q.Symbol == symbol && (branch == null || q.Branch == branch))
                            .Select(q => q.PersonId)
                            .Contains(p.Id)
                        && p.Birthdate == birthdate)
                    .OrderBy(p => p.Id)
                    .Take(10)
                    .Select(p => PersonProjection.Invoke(db, p, asOf, (DateTimeOffset?)null))));
    }

    /// <summary>
    /// マイナ保険証: the person currently linked to the certificate with <paramref name="linkageKey"/>
    /// (<c>JpkiCertificateInfo.LinkageKey</c>), and their qualification on <paramref name="asOf"/> (a JST date).
    /// </summary>
    public async Task<QualificationLookupResult> FindByCardAsync(string linkageKey, DateOnly asOf, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(linkageKey);
        var person = await Queries.ByCard(db, linkageKey, asOf, cancellationToken).ConfigureAwait(false);
        return person is null ? QualificationLookupResult.NotLinked : Answer(person, asOf);
    }

    /// <summary>One person's qualifications on <paramref name="asOf"/>, answered as <see cref="FindByCardAsync"/> answers (null: no such person); used for a person identified another way (緊急時医療情報・資格確認機能, OQSmutic).</summary>
    public async Task<QualificationLookupResult?> FindByPersonAsync(long personId, DateOnly asOf, CancellationToken cancellationToken)
    {
        var person = await Queries.ByPerson(db, personId, asOf, cancellationToken).ConfigureAwait(false);
        return person is null ? null : Answer(person, asOf);
    }

    /// <summary>
    /// Persons registered with this カナ氏名 (compared without spaces), 生年月日 and 性別, optionally narrowed by a part of
    /// the 住所 or a 保険者番号 they hold a qualification under; at most <paramref name="limit"/> + 1 rows are read, so the
    /// caller can tell "too many" without reading them all.
    /// </summary>
    public async Task<IReadOnlyList<PersonCandidate>> FindCandidatesAsync(string kanaWithoutSpaces, DateOnly birthdate, Sex sex, string? addressPart, string? insurerNumber, int limit, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(kanaWithoutSpaces);
        var query = db.InsuredPersons.AsNoTracking()
            .Where(p => p.Birthdate == birthdate && p.Sex == sex && p.NameKana.Replace(" ", "").Replace("\u3000", "") == kanaWithoutSpaces);
        if (!string.IsNullOrEmpty(addressPart))
        {
            query = query.Where(p => p.Address.Contains(addressPart));
        }

        if (!string.IsNullOrEmpty(insurerNumber))
        {
            query = query.Where(p => db.Qualifications.Any(q => q.PersonId == p.Id && q.InsurerNumber == insurerNumber));
        }

        return await query.OrderBy(p => p.Id).Take(limit + 1)
            .Select(p => new PersonCandidate(p.Id, p.Name, p.NameKana, p.Sex, p.Birthdate, p.Address))
            .ToListAsync(cancellationToken).ConfigureAwait(false);
    }

    // The 資格有効性 rules for one known person (マイナ保険証, or a person found another way: 緊急時, OQSmutic).
    private static QualificationLookupResult Answer(PersonRows person, DateOnly asOf)
    {
        var valid = person.Qualifications.Where(q => q.IsValidOn(asOf)).OrderByDescending(q => q.QualificationDate).ToList();
        var assistance = person.Assistance.Where(a => a.IsValidOn(asOf)).OrderByDescending(a => a.StartDate).ToList();
        if (valid.Count > 1)
        {
            // 複数該当 is a 医療保険 answer only (OQSCD006): the レセコン resolves the insurance first.
            return Result(QualificationValidity.MultipleMatches, person, valid, asOf);
        }

        if (valid.Count == 1)
        {
            // 医療保険 with 医療扶助 (併用): both results, the insurance first, validity 1.
            return Result(QualificationValidity.Valid, person, [Snapshot(person, valid[0], asOf), .. assistance.Select(a => AssistanceSnapshot(person, a, asOf))]);
        }

        if (assistance.Count > 0)
        {
            // 6 有効（未登録）: under 保護, but the 福祉事務所 has registered no 医療券・調剤券 for the day yet (the public
            // 福祉事務所 notices describe the first half of each month as 「未委託・未登録」 until the tickets are registered).
            var snapshots = assistance.Select(a => AssistanceSnapshot(person, a, asOf)).ToList();
            var validity = snapshots.Any(a => a.MedicalTickets.Count > 0) ? QualificationValidity.Valid : QualificationValidity.ValidUnregistered;
            return Result(validity, person, snapshots);
        }

        var lost = LatestLost(person.Qualifications, asOf);
        var lostAssistance = person.Assistance
            .Where(a => a.StartDate <= asOf && a.EndDate is { } end && end <= asOf)
            .OrderByDescending(a => a.EndDate)
            .FirstOrDefault();
        if (lostAssistance is not null && (lost is null || lostAssistance.EndDate > lost.DisqualificationDate))
        {
            return Result(QualificationValidity.Invalid, person, [AssistanceSnapshot(person, lostAssistance, asOf)]);
        }

        return lost is not null
            ? Result(QualificationValidity.Invalid, person, [lost], asOf)
            : new QualificationLookupResult { Validity = QualificationValidity.NoQualification, PersonId = person.PersonId, CertificateNotAfter = person.CertificateNotAfter };
    }

    /// <summary>
    /// レセコン 被保険者証情報 query: 保険者番号 + 記号 + 番号 (+ 枝番, null = any) + 生年月日, on <paramref name="asOf"/>.
    /// 記号 is "" for cards without one.
    /// </summary>
    public async Task<QualificationLookupResult> FindByInsuranceCardAsync(InsurerNumber insurer, string symbol, string number, string? branch, DateOnly birthdate, DateOnly asOf, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(symbol);
        ArgumentException.ThrowIfNullOrEmpty(number);
        var persons = new List<PersonRows>(1);
        await foreach (var person in Queries.ByInsuranceCard(db, insurer.Value, symbol, number, branch, birthdate, asOf).WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            persons.Add(person);
        }

        return Decide(persons, insurer.Value, symbol, number, branch, asOf);
    }

    /// <summary>
    /// The bulk form of <see cref="FindByInsuranceCardAsync"/> (一括照会, issue 17): one result per key, in order, decided by
    /// the same rules, but read in a few set-based statements per <see cref="BatchSize"/> keys instead of one per key.
    /// </summary>
    public async Task<IReadOnlyList<QualificationLookupResult>> FindManyByInsuranceCardAsync(IReadOnlyList<InsuranceCardKey> keys, DateOnly asOf, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var results = new QualificationLookupResult[keys.Count];
        var all = keys.ToArray();
        for (var start = 0; start < keys.Count; start += BatchSize)
        {
            var count = Math.Min(BatchSize, keys.Count - start);
            var chunk = new ArraySegment<InsuranceCardKey>(all, start, count);
            var insurers = chunk.Select(k => k.Insurer.Value).Distinct().ToList();
            var numbers = chunk.Select(k => k.Number).Distinct().ToList();

            // Over-reads (any insurer × any number of the chunk) through the 保険者番号+番号 index, then matches exactly in memory:
            // IN lists of scalars are what both providers translate cleanly; a composite-key join is not.
            var candidates = await db.Qualifications.AsNoTracking()
                .Where(q => insurers.Contains(q.InsurerNumber) && numbers.Contains(q.Number))
                .Select(q => new CandidateRow(q.PersonId, q.InsurerNumber, q.Symbol, q.Number, q.Branch))
                .ToListAsync(cancellationToken).ConfigureAwait(false);
            var byNumber = candidates.ToLookup(c => (c.InsurerNumber, c.Number));
            var personIds = candidates.Select(c => c.PersonId).Distinct().ToList();
            var persons = new Dictionary<long, PersonRows>(personIds.Count);
            foreach (var ids in personIds.Chunk(BatchSize))
            {
                await foreach (var person in PersonsById(ids, asOf).AsAsyncEnumerable().WithCancellation(cancellationToken).ConfigureAwait(false))
                {
                    persons[person.PersonId] = person;
                }
            }

            for (var i = 0; i < count; i++)
            {
                var key = chunk[i];
                // The single lookup's selection: persons with a matching qualification and the birth date, by id, at most 10.
                var matching = byNumber[(key.Insurer.Value, key.Number)]
                    .Where(c => c.Symbol == key.Symbol && (key.Branch is null || c.Branch == key.Branch))
                    .Select(c => c.PersonId).Distinct()
                    .Select(id => persons.GetValueOrDefault(id))
                    .OfType<PersonRows>()
                    .Where(p => p.Birthdate == key.Birthdate)
                    .OrderBy(p => p.PersonId)
                    .Take(10)
                    .ToList();
                results[start + i] = Decide(matching, key.Insurer.Value, key.Symbol, key.Number, key.Branch, asOf);
            }
        }

        return results;
    }

    /// <summary>Keys per statement in <see cref="FindManyByInsuranceCardAsync"/>: well under SQLite's and PostgreSQL's parameter limits.</summary>
    public const int BatchSize = 500;

    private sealed record CandidateRow(long PersonId, string InsurerNumber, string Symbol, string Number, string Branch);

    private IQueryable<PersonRows> PersonsById(long[] ids, DateOnly asOf) =>
        db.InsuredPersons.AsNoTracking().AsSingleQuery()
            .Where(p => ids.Contains(p.Id))
            .Select(InlinedExpressions.Inline<Func<InsuredPerson, PersonRows>>(p => PersonProjection.Invoke(db, p, asOf, (DateTimeOffset?)null)));

    // The 資格有効性 rules of an insurance-card lookup, shared by the single and the bulk form so that both decide alike.
    private static QualificationLookupResult Decide(List<PersonRows> persons, string insurer, string symbol, string number, string? branch, DateOnly asOf)
    {
        bool Matches(QualificationRow q) => q.InsurerNumber == insurer && q.Number == number && q.Symbol == symbol && (branch is null || q.Branch == branch);

        if (persons.Count == 0)
        {
            return new QualificationLookupResult { Validity = QualificationValidity.NoQualification };
        }

        if (persons.Count > 1)
        {
            var all = persons.SelectMany(p => p.Qualifications.Where(Matches).Select(q => Snapshot(p, q, asOf))).ToList();
            return new QualificationLookupResult { Validity = QualificationValidity.MultipleMatches, Qualifications = all };
        }

        var only = persons[0];
        var matched = only.Qualifications.Where(Matches).ToList();
        var validMatch = matched.Where(q => q.IsValidOn(asOf)).OrderByDescending(q => q.QualificationDate).ToList();
        if (validMatch.Count > 0)
        {
            return Result(validMatch.Count == 1 ? QualificationValidity.Valid : QualificationValidity.MultipleMatches, only, validMatch, asOf);
        }

        var lost = LatestLost(matched, asOf);
        if (lost is null)
        {
            // Only future qualifications under these card fields.
            return new QualificationLookupResult { Validity = QualificationValidity.NoQualification, PersonId = only.PersonId };
        }

        var newer = only.Qualifications.Where(q => q.IsValidOn(asOf)).OrderByDescending(q => q.QualificationDate).ToList();
        return newer.Count > 0
            ? Result(QualificationValidity.InvalidNewQualificationExists, only, [lost, .. newer], asOf)
            : Result(QualificationValidity.Invalid, only, [lost], asOf);
    }

    private static QualificationRow? LatestLost(IEnumerable<QualificationRow> rows, DateOnly asOf) =>
        rows.Where(q => q.QualificationDate <= asOf && q.DisqualificationDate is { } lostOn && lostOn <= asOf)
            .OrderByDescending(q => q.DisqualificationDate)
            .ThenByDescending(q => q.QualificationDate)
            .FirstOrDefault();

    private static QualificationLookupResult Result(QualificationValidity validity, PersonRows person, IReadOnlyList<QualificationRow> rows, DateOnly asOf) =>
        Result(validity, person, [.. rows.Select(q => Snapshot(person, q, asOf))]);

    private static QualificationLookupResult Result(QualificationValidity validity, PersonRows person, IReadOnlyList<QualificationSnapshot> snapshots) => new()
    {
        Validity = validity,
        PersonId = person.PersonId,
        CertificateNotAfter = person.CertificateNotAfter,
        Qualifications = snapshots,
    };

    // 医療扶助 in the result's shape (oqs-system.md §3.5): 被保険者証区分 A1, 公費負担者番号 as 保険者番号, 受給者番号 as
    // 番号, 福祉事務所名 as 保険者名称, 保護開始/停止・廃止日 as 資格取得/喪失日; no 記号, 枝番 or 負担割合.
    private static QualificationSnapshot AssistanceSnapshot(PersonRows person, AssistanceRow a, DateOnly asOf) => new()
    {
        QualificationId = a.Id,
        PersonId = person.PersonId,
        InsurerNumber = a.BearerNumber,
        InsurerName = a.WelfareOfficeName,
        Symbol = "",
        Number = a.RecipientNumber,
        Branch = "",
        PersonalFamilyClassification = PersonalFamilyClassification.Insured,
        InsuredName = "",
        Name = person.Name,
        NameKana = person.NameKana,
        Sex = person.Sex,
        Birthdate = person.Birthdate,
        Address = person.Address,
        PostNumber = person.PostNumber,
        CardClassification = InsuredCardClassification.MedicalAssistance,
        QualificationDate = a.StartDate,
        DisqualificationDate = a.EndDate,
        ContributionRatio = null,
        MedicalTickets = a.IsValidOn(asOf)
            ? [.. person.Tickets.Where(t => t.InsurerNumber == a.BearerNumber).Select(t => t.Value).OrderBy(t => t.TicketType).ThenBy(t => t.IssueNumber, StringComparer.Ordinal)]
            : [],
    };

    private static QualificationSnapshot Snapshot(PersonRows person, QualificationRow q, DateOnly asOf) => new()
    {
        QualificationId = q.Id,
        PersonId = person.PersonId,
        InsurerNumber = q.InsurerNumber,
        InsurerName = q.InsurerName,
        Symbol = q.Symbol,
        Number = q.Number,
        Branch = q.Branch,
        PersonalFamilyClassification = q.PersonalFamilyClassification,
        InsuredName = q.InsuredName,
        Name = person.Name,
        NameKana = person.NameKana,
        Sex = person.Sex,
        Birthdate = person.Birthdate,
        Address = person.Address,
        PostNumber = person.PostNumber,
        CardClassification = q.CardClassification,
        QualificationDate = q.QualificationDate,
        DisqualificationDate = q.DisqualificationDate,
        ReasonOfLoss = q.ReasonOfLoss,
        CardIssuedOn = q.CardIssuedOn,
        CardValidFrom = q.CardValidFrom,
        CardValidUntil = q.CardValidUntil,
        ContributionRatio = q.ContributionRatio,
        Preschool = q.Preschool,

        // Certificates belong to the qualification of the insurer that issued them, and only while it is valid.
        ElderlyRecipient = q.IsValidOn(asOf) ? person.Elderly.Where(c => c.InsurerNumber == q.InsurerNumber).Select(c => c.Value).MaxBy(c => c.ValidFrom) : null,
        LimitCertificate = q.IsValidOn(asOf) ? person.Limits.Where(c => c.InsurerNumber == q.InsurerNumber).Select(c => c.Value).MaxBy(c => c.ValidFrom) : null,
        SpecificDiseases = q.IsValidOn(asOf) ? [.. person.SpecificDiseases.Where(c => c.InsurerNumber == q.InsurerNumber).Select(c => c.Value).OrderBy(c => c.Category)] : [],
    };

    private sealed class PersonRows
    {
        public long PersonId { get; init; }

        public DateTimeOffset? CertificateNotAfter { get; init; }

        public required string Name { get; init; }

        public required string NameKana { get; init; }

        public Sex Sex { get; init; }

        public DateOnly Birthdate { get; init; }

        public required string Address { get; init; }

        public required string PostNumber { get; init; }

        public required List<QualificationRow> Qualifications { get; init; }

        public required List<CertificateRow<ElderlyRecipientSnapshot>> Elderly { get; init; }

        public required List<CertificateRow<LimitCertificateSnapshot>> Limits { get; init; }

        public required List<CertificateRow<SpecificDiseaseSnapshot>> SpecificDiseases { get; init; }

        public required List<AssistanceRow> Assistance { get; init; }

        public required List<CertificateRow<MedicalTicketSnapshot>> Tickets { get; init; }
    }

    private sealed record AssistanceRow(long Id, string BearerNumber, string RecipientNumber, string WelfareOfficeName, DateOnly StartDate, DateOnly? EndDate)
    {
        public bool IsValidOn(DateOnly day) => StartDate <= day && (EndDate is null || day < EndDate);
    }

    private sealed class QualificationRow
    {
        public long Id { get; init; }

        public required string InsurerNumber { get; init; }

        public required string InsurerName { get; init; }

        public required string Symbol { get; init; }

        public required string Number { get; init; }

        public required string Branch { get; init; }

        public PersonalFamilyClassification PersonalFamilyClassification { get; init; }

        public required string InsuredName { get; init; }

        public InsuredCardClassification CardClassification { get; init; }

        public DateOnly QualificationDate { get; init; }

        public DateOnly? DisqualificationDate { get; init; }

        public ReasonOfLoss? ReasonOfLoss { get; init; }

        public DateOnly? CardIssuedOn { get; init; }

        public DateOnly? CardValidFrom { get; init; }

        public DateOnly? CardValidUntil { get; init; }

        public PartialContributionRatio ContributionRatio { get; init; }

        public bool Preschool { get; init; }

        public bool IsValidOn(DateOnly day) => QualificationDate <= day && (DisqualificationDate is null || day < DisqualificationDate);
    }

    private sealed record CertificateRow<T>(string InsurerNumber, T Value);
}

/// <summary>The 被保険者証 fields of one レセコン query row: 記号 "" when the card has none, 枝番 null = any.</summary>
public readonly record struct InsuranceCardKey(InsurerNumber Insurer, string Symbol, string Number, string? Branch, DateOnly Birthdate);
