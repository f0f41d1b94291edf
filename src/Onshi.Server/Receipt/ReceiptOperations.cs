using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Onshi.Core.Identifiers;
using Onshi.OqsXml.Errors;
using Onshi.OqsXml.Requests;
using Onshi.OqsXml.Responses;
using Onshi.Server.Common;
using Onshi.Server.Consent;
using Onshi.Server.Data;
using Onshi.Server.Insurance;

namespace Onshi.Server.Receipt;

/// <summary>
/// The person-level work of the レセコン interface, shared by the single endpoints and the bulk worker: 資格確認 by
/// 被保険者証情報, 照会番号登録, and the 同意済 results of app confirmations. Inputs were validated by the layout already
/// (row errors come in as a per-row error).
/// </summary>
public sealed class ReceiptOperations(AppDbContext db, QualificationLookup lookup, OqsResultMapping mapping, TimeProvider time, Audit.AuditLog audit)
{
    /// <summary>Up to this many person ids are listed in an audit line; beyond, the line carries their count and a SHA-256 of the sorted list.</summary>
    public const int ListedPersons = 20;

    /// <summary>
    /// Writes one audit-chain entry for a レセコン access to personal data (a lookup, a registration, a bulk job) and saves
    /// at once. The person ids read are named (or, for a large job, bound by a hash) so that the chain says whose data left.
    /// </summary>
    public Task RecordAccessAsync(int institutionId, int machineAccountId, string action, string target, IReadOnlyCollection<long> persons, string? detail, CancellationToken cancellationToken) =>
        RecordAccessAsync(ReceiptRequester.Machine(institutionId, machineAccountId), action, target, persons, detail, cancellationToken);

    /// <inheritdoc cref="RecordAccessAsync(int, int, string, string, IReadOnlyCollection{long}, string?, CancellationToken)"/>
    public async Task RecordAccessAsync(ReceiptRequester requester, string action, string target, IReadOnlyCollection<long> persons, string? detail, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(requester);
        var institutionId = requester.InstitutionId;
        var sorted = persons.Distinct().Order().ToList();
        var who = sorted.Count <= ListedPersons
            ? "persons=" + string.Join(',', sorted)
            : $"persons={sorted.Count} sha256={Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(string.Join(',', sorted)))).ToLowerInvariant()}";
        audit.Add(requester.Actor, institutionId, action, target, (detail is null ? "" : detail + " ") + who);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        db.ChangeTracker.Clear();
    }

    /// <summary>資格確認 of one person on <paramref name="asOf"/> (the request's 資格確認日, else today in Japan).</summary>
    public async Task<QualificationConfirmationResult> ConfirmAsync(int institutionId, QualificationConfirmSearchInfo? row, OqsError? rowError, DateOnly asOf,
        Dictionary<long, string>? referenceNumbers, CancellationToken cancellationToken, ICollection<long>? accessed = null)
    {
        if (rowError is not null || row is null)
        {
            return OqsResponseFactory.RowError(rowError ?? OqsErrorCatalogue.Create(OqsErrorCode.MissingElement), row);
        }

        if (InsurerNumber.Parse(row.InsurerNumber).Value is not { } insurer)
        {
            return OqsResponseFactory.RowError(OqsErrorCatalogue.Create(OqsErrorCode.InsurerNumberInvalid), row);
        }

        var key = Key(insurer, row);
        var found = await lookup.FindByInsuranceCardAsync(key.Insurer, key.Symbol, key.Number, key.Branch, key.Birthdate, asOf, cancellationToken)
            .ConfigureAwait(false);
        string? reference = null;
        if (found.PersonId is { } personId)
        {
            accessed?.Add(personId);
            referenceNumbers ??= await mapping.ReferenceNumbersAsync(institutionId, [personId], cancellationToken).ConfigureAwait(false);
            referenceNumbers.TryGetValue(personId, out reference);
        }

        return OqsResultMapping.FromLookup(found, row, reference);
    }

    /// <summary>
    /// 資格確認 of many rows (the bulk job): the same per-row results, row errors and accessed persons (in row order) as
    /// <see cref="ConfirmAsync"/> row by row, with the persons read in batches (issue 17).
    /// </summary>
    public async Task<List<QualificationConfirmationResult>> ConfirmManyAsync(IReadOnlyList<QualificationConfirmSearchInfo?> rows, IReadOnlyList<OqsError?> rowErrors, DateOnly asOf,
        Dictionary<long, string> referenceNumbers, CancellationToken cancellationToken, ICollection<long>? accessed = null)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(rowErrors);
        ArgumentNullException.ThrowIfNull(referenceNumbers);
        var results = new QualificationConfirmationResult?[rows.Count];
        var keys = new List<InsuranceCardKey>(rows.Count);
        var keyRows = new List<int>(rows.Count);
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            if (rowErrors[i] is not null || row is null)
            {
                results[i] = OqsResponseFactory.RowError(rowErrors[i] ?? OqsErrorCatalogue.Create(OqsErrorCode.MissingElement), row);
            }
            else if (InsurerNumber.Parse(row.InsurerNumber).Value is not { } insurer)
            {
                results[i] = OqsResponseFactory.RowError(OqsErrorCatalogue.Create(OqsErrorCode.InsurerNumberInvalid), row);
            }
            else
            {
                keys.Add(Key(insurer, row));
                keyRows.Add(i);
            }
        }

        var found = await lookup.FindManyByInsuranceCardAsync(keys, asOf, cancellationToken).ConfigureAwait(false);
        for (var k = 0; k < found.Count; k++)
        {
            string? reference = null;
            if (found[k].PersonId is { } personId)
            {
                accessed?.Add(personId);
                referenceNumbers.TryGetValue(personId, out reference);
            }

            results[keyRows[k]] = OqsResultMapping.FromLookup(found[k], rows[keyRows[k]]!, reference);
        }

        return [.. results.Select(r => r!)];
    }

    private static InsuranceCardKey Key(InsurerNumber insurer, QualificationConfirmSearchInfo row) =>
        new(insurer, row.InsuredCardSymbol ?? "", row.InsuredIdentificationNumber!, row.InsuredBranchNumber, DateOnly.ParseExact(row.Birthdate!, "yyyyMMdd", CultureInfo.InvariantCulture));

    /// <summary>照会番号登録 of one row: the card fields must resolve to exactly one person; the number replaces any earlier one.</summary>
    public async Task<ReferenceNumberRegistrationResult> RegisterAsync(ReceiptRequester caller, ReferenceNumberRegistrationInfo? row, OqsError? rowError, CancellationToken cancellationToken)
    {
        if (rowError is not null || row is null)
        {
            return OqsResponseFactory.RegistrationRowError(rowError ?? OqsErrorCatalogue.Create(OqsErrorCode.MissingElement), row);
        }

        if (InsurerNumber.Parse(row.InsurerNumber).Value is not { } parsedInsurer)
        {
            return OqsResponseFactory.RegistrationRowError(OqsErrorCatalogue.Create(OqsErrorCode.InsurerNumberInvalid), row);
        }

        var insurer = parsedInsurer.Value;
        var symbol = row.InsuredCardSymbol ?? "";
        var number = row.InsuredIdentificationNumber!;
        var branch = row.InsuredBranchNumber;
        var persons = await db.Qualifications.AsNoTracking()
            .Where(q => q.InsurerNumber == insurer && q.Number == number && q.Symbol == symbol && (branch == null || q.Branch == branch))
            .Select(q => q.PersonId).Distinct().Take(2)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        if (persons.Count != 1)
        {
            var refusal = persons.Count == 0 ? ReceiptRefusals.RegistrationNoQualification : ReceiptRefusals.RegistrationAmbiguous;
            return new ReferenceNumberRegistrationResult
            {
                RegistrationInfo = OqsResponseFactory.Echo(row),
                ProcessingResultStatus = "2",
                ProcessingResultCode = ReceiptWire.Of(refusal).WireCode,
                ProcessingResultMessage = refusal.Message,
            };
        }

        var personId = persons[0];
        audit.Add(caller.Actor, caller.InstitutionId, "receipt.reference_number_registered", $"person:{personId}",
            $"reference={row.ReferenceNumber}");
        var existing = await db.ReferenceNumbers.IgnoreQueryFilters()
            .SingleOrDefaultAsync(r => r.InstitutionId == caller.InstitutionId && r.PersonId == personId, cancellationToken).ConfigureAwait(false);
        if (existing is null)
        {
            db.ReferenceNumbers.Add(new ReferenceNumberRecord
            {
                InstitutionId = caller.InstitutionId,
                PersonId = personId,
                ReferenceNumber = row.ReferenceNumber!,
                RegisteredAt = time.GetUtcNow(),
                RegisteredByMachineAccountId = caller.MachineAccountId,
                RegisteredByAccountId = caller.AccountId,
            });
        }
        else
        {
            existing.ReferenceNumber = row.ReferenceNumber!;
            existing.RegisteredAt = time.GetUtcNow();
            existing.RegisteredByMachineAccountId = caller.MachineAccountId;
            existing.RegisteredByAccountId = caller.AccountId;
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (DbUpdateException ex) when (UniqueViolation.Is(ex))
        {
            // The same person registered concurrently: the other registration stands, this one is applied over it.
            db.ChangeTracker.Clear();
            await db.ReferenceNumbers.IgnoreQueryFilters().Where(r => r.InstitutionId == caller.InstitutionId && r.PersonId == personId)
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.ReferenceNumber, row.ReferenceNumber!), cancellationToken).ConfigureAwait(false);

            // The clear above dropped the audit line with the failed insert; the registration still happened.
            audit.Add(caller.Actor, caller.InstitutionId, "receipt.reference_number_registered", $"person:{personId}",
                $"reference={row.ReferenceNumber}");
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }

        db.ChangeTracker.Clear();
        return new ReferenceNumberRegistrationResult { RegistrationInfo = OqsResponseFactory.Echo(row), ProcessingResultStatus = "1" };
    }

    /// <summary>
    /// 同意済資格情報一括取得: every person of the institution with an app confirmation for <paramref name="purpose"/>, chosen
    /// by 同意年月日 (a consent answered in the range and still given) or by 受診日 (a confirmation in the range); the latest
    /// confirmation of each person is returned as its result.
    /// </summary>
    public async Task<List<QualificationConfirmationResult>> ConsentedAsync(int institutionId, Jpki.AuthenticationPurpose purpose, ConsentedQualificationSearch search, CancellationToken cancellationToken, ICollection<long>? accessed = null)
    {
        var byConsent = search.ConsentDateFrom is not null;
        var (from, to) = byConsent ? (search.ConsentDateFrom!, search.ConsentDateTo!) : (search.ExaminationDateFrom!, search.ExaminationDateTo!);
        var start = JapanDayStart(from);
        var end = JapanDayStart(to).AddDays(1);

        List<long> persons;
        if (byConsent)
        {
            var records = await db.ConsentRecords.IgnoreQueryFilters().AsNoTracking()
                .Where(c => c.InstitutionId == institutionId && c.Purpose == purpose && c.AnsweredAt >= start && c.AnsweredAt < end)
                .ToListAsync(cancellationToken).ConfigureAwait(false);
            var now = time.GetUtcNow();
            persons = [.. records.GroupBy(r => r.PersonId).Where(g => ConsentRules.ViewableTypes(g, now).Count > 0).Select(g => g.Key)];
        }
        else
        {
            persons = await db.AppConfirmations.IgnoreQueryFilters().AsNoTracking()
                .Where(c => c.InstitutionId == institutionId && c.Purpose == purpose && c.ConfirmedAt >= start && c.ConfirmedAt < end && c.PersonId != null)
                .Select(c => c.PersonId!.Value).Distinct()
                .ToListAsync(cancellationToken).ConfigureAwait(false);
        }

        var references = await mapping.ReferenceNumbersAsync(institutionId, persons, cancellationToken).ConfigureAwait(false);
        var newest = new List<StoredConfirmation>(persons.Count);
        foreach (var chunk in persons.Chunk(200))
        {
            var latest = await db.AppConfirmations.IgnoreQueryFilters().AsNoTracking()
                .Where(c => c.InstitutionId == institutionId && c.Purpose == purpose && c.PersonId != null && chunk.Contains(c.PersonId!.Value))
                .Select(c => new StoredConfirmation(c.Id, c.ConfirmedAt, c.PersonId, c.SnapshotJson))
                .ToListAsync(cancellationToken).ConfigureAwait(false);
            foreach (var person in latest.GroupBy(c => c.PersonId!.Value).OrderBy(g => g.Key))
            {
                accessed?.Add(person.Key);
                newest.Add(person.OrderByDescending(c => c.ConfirmedAt).First());
            }
        }

        var results = await mapping.FromConfirmationsAsync(newest, references, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        // A BulkConfirmUnit has no PrescriptionIssueSelect in the public model (docs/receipt-xml.md): the choice reaches
        // the レセコン through the face file and the feed of the confirmation itself.
        return [.. results.Select(r => r with { PrescriptionIssueSelect = null })];
    }

    /// <summary>
    /// OQSmutic (医療扶助の一括取得): every person with a 医療券・調剤券 for <paramref name="yyyyMM"/> whose 指定医療機関 is
    /// this institution — the reading of 「委託先資格情報」 that docs/receipt-xml.md marks 推定 — answered as a card lookup
    /// answers, on the day of that month closest to today (today within the month, else its last or first day), so the
    /// month's tickets are the valid ones. Persons in id order; 照会番号 as registered.
    /// </summary>
    public async Task<List<QualificationConfirmationResult>> MedicalAssistanceAsync(int institutionId, string yyyyMM, CancellationToken cancellationToken, ICollection<long>? accessed = null)
    {
        var first = DateOnly.ParseExact(yyyyMM + "01", "yyyyMMdd", CultureInfo.InvariantCulture);
        var last = first.AddMonths(1).AddDays(-1);
        var today = JapanTime.Today(time);
        var asOf = today < first ? first : today > last ? last : today;
        var code = await db.Institutions.IgnoreQueryFilters().AsNoTracking().Where(i => i.Id == institutionId).Select(i => i.Code).SingleAsync(cancellationToken).ConfigureAwait(false);
        var persons = await db.MedicalTickets.IgnoreQueryFilters().AsNoTracking()
            .Where(t => t.TreatmentMonth == first && t.DesignatedInstitutionCode == code)
            .Select(t => t.PersonId).Distinct().OrderBy(p => p)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        var references = await mapping.ReferenceNumbersAsync(institutionId, persons, cancellationToken).ConfigureAwait(false);
        var results = new List<QualificationConfirmationResult>(persons.Count);
        foreach (var person in persons)
        {
            if (await lookup.FindByPersonAsync(person, asOf, cancellationToken).ConfigureAwait(false) is not { } found)
            {
                continue;
            }

            // As the card lookup answers: with a 医療保険 beside (併用) the insurance comes first, as in a face result.
            accessed?.Add(person);
            results.Add(OqsResultMapping.FromLookup(found, null, references.GetValueOrDefault(person)));
        }

        return results;
    }

    /// <summary>資格確認日 of the request, or today in Japan.</summary>
    public DateOnly AsOf(string? qualificationConfirmationDate) =>
        qualificationConfirmationDate is not null && DateOnly.TryParseExact(qualificationConfirmationDate, "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date
            : JapanTime.Today(time);

    // In UTC: Npgsql writes only offset-zero values to timestamptz parameters.
    private static DateTimeOffset JapanDayStart(string yyyyMMdd) =>
        new DateTimeOffset(DateOnly.ParseExact(yyyyMMdd, "yyyyMMdd", CultureInfo.InvariantCulture).ToDateTime(TimeOnly.MinValue), JapanTime.Offset).ToUniversalTime();
}
