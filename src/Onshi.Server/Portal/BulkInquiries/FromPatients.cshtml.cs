using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Onshi.OqsXml.Requests;
using Onshi.Server.Audit;
using Onshi.Server.Auth;
using Onshi.Server.Common;
using Onshi.Server.Data;
using Onshi.Server.Portal.InsuranceCards;
using Onshi.Server.Receipt;

namespace Onshi.Server.Portal.BulkInquiries;

/// <summary>
/// 前回の患者から選ぶ: the persons this institution confirmed before (its stored app confirmations), newest first; the
/// chosen ones become a 一括照会 job with the 記号・番号 of their latest qualification, read through the same
/// <see cref="InsuranceCardQuery"/> as a CSV line. Only persons the institution itself confirmed can be chosen; showing the
/// list and queuing the job are audited (counts, not names).
/// </summary>
[Authorize(Policy = PortalAuthentication.Member)]
public sealed class FromPatientsModel(BulkJobs jobs, AuditLog audit, AppDbContext db, TimeProvider time) : PortalPageModel
{
    public const string ListedAction = "bulk_inquiry.patients_listed";

    /// <summary>Persons listed at most (the newest confirmations first).</summary>
    public const int MaxListed = 1_000;

    public sealed record Patient(long PersonId, string Name, DateOnly Birthdate, DateTimeOffset LastConfirmedAt);

    public IReadOnlyList<Patient> Patients { get; private set; } = [];

    [BindProperty]
    public List<long> Selected { get; set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Patients = await ListAsync(cancellationToken);
        audit.Add(Actor, Actor.InstitutionId, ListedAction, "bulk", $"listed={Patients.Count}");
        await db.SaveChangesAsync(cancellationToken);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var patients = await ListAsync(cancellationToken);
        var chosen = patients.Where(p => Selected.Contains(p.PersonId)).Select(p => p.PersonId).ToList();
        if (chosen.Count == 0)
        {
            Patients = patients;
            return Refuse([new Refusal("bulk.nobody_selected", "照会する方を1人以上選んでください。", nameof(Selected))]);
        }

        var qualifications = await db.Qualifications.AsNoTracking()
            .Where(q => chosen.Contains(q.PersonId))
            .Select(q => new { q.PersonId, q.InsurerNumber, q.Symbol, q.Number, q.Branch, q.QualificationDate, q.Person!.Birthdate })
            .ToListAsync(cancellationToken);
        var rows = new List<QualificationConfirmSearchInfo>(chosen.Count);
        foreach (var personId in chosen)
        {
            var latest = qualifications.Where(q => q.PersonId == personId).OrderByDescending(q => q.QualificationDate).FirstOrDefault();
            if (latest is null)
            {
                continue;
            }

            var (search, _) = new InsuranceCardQuery
            {
                InsurerNumber = latest.InsurerNumber,
                Symbol = latest.Symbol,
                Number = latest.Number,
                Branch = latest.Branch,
                Birthdate = latest.Birthdate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            }.Validate();
            if (search is not null)
            {
                rows.Add(search with { LimitApplicationCertificateRelatedConsFlg = "1" });
            }
        }

        if (rows.Count == 0)
        {
            Patients = patients;
            return Refuse([new Refusal("bulk.no_card", "選んだ方の保険証の記号・番号が見つかりません。CSVで照会してください。", nameof(Selected))]);
        }

        var job = await IndexModel.SubmitAsync(jobs, Actor, CurrentInstitutionCode, rows, time, cancellationToken);
        audit.Add(Actor, Actor.InstitutionId, IndexModel.UploadAction, $"bulk:{job.ReceptionNumber}", $"source=patients rows={rows.Count}");
        await db.SaveChangesAsync(cancellationToken);
        return RedirectToPage("Status", new { id = job.ReceptionNumber });
    }

    private async Task<List<Patient>> ListAsync(CancellationToken cancellationToken)
    {
        var institutionId = Actor.InstitutionId!.Value;
        var confirmed = await db.AppConfirmations.IgnoreQueryFilters().AsNoTracking()
            .Where(c => c.InstitutionId == institutionId && c.PersonId != null)
            .Select(c => new { PersonId = c.PersonId!.Value, c.ConfirmedAt })
            .ToListAsync(cancellationToken);
        // Grouped here: the instants are stored through a value converter that not every provider aggregates.
        var newest = confirmed.GroupBy(c => c.PersonId).Select(g => new { PersonId = g.Key, Last = g.Max(c => c.ConfirmedAt) })
            .OrderByDescending(c => c.Last).Take(MaxListed).ToList();
        var ids = newest.Select(c => c.PersonId).ToList();
        var persons = await db.InsuredPersons.AsNoTracking().Where(p => ids.Contains(p.Id))
            .Select(p => new { p.Id, p.Name, p.Birthdate }).ToDictionaryAsync(p => p.Id, cancellationToken);
        return [.. newest.Where(c => persons.ContainsKey(c.PersonId)).Select(c => new Patient(c.PersonId, persons[c.PersonId].Name, persons[c.PersonId].Birthdate, c.Last))];
    }
}
