using Microsoft.EntityFrameworkCore;
using Onshi.Server.Common;
using Onshi.Server.Data;

namespace Onshi.Server.MedicalInformation;

/// <summary>
/// How long each kind of medical information may be viewed (oqs-system.md §5: 特定健診 5年分, 薬剤 3年分; 診療 and
/// 手術 have a start date but no published period, so we apply 3 years like 薬剤 — our choice, docs/import.md).
/// Retention is enforced twice: <see cref="Retained"/> is the filter every viewing query applies, and
/// <see cref="PurgeExpiredMedicalInformation"/> deletes what has fallen out, so expired data is neither shown nor kept.
/// </summary>
public static class MedicalInformationRetention
{
    public static int Years(MedicalRecordKind kind) => kind switch
    {
        MedicalRecordKind.HealthCheck => 5,
        MedicalRecordKind.Medication => 3,
        MedicalRecordKind.Treatment => 3,
        MedicalRecordKind.Surgery => 3,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    public static MedicalRecordKind KindOf<T>()
        where T : IMedicalRecord =>
        typeof(T) == typeof(MedicationDispensing) ? MedicalRecordKind.Medication
        : typeof(T) == typeof(HealthCheckResult) ? MedicalRecordKind.HealthCheck
        : typeof(T) == typeof(TreatmentRecord) ? MedicalRecordKind.Treatment
        : typeof(T) == typeof(SurgeryRecord) ? MedicalRecordKind.Surgery
        : throw new ArgumentException($"{typeof(T).Name} is not a medical record type.");

    /// <summary>The oldest date still retained on <paramref name="today"/> (a record dated exactly N years ago is kept).</summary>
    public static DateOnly OldestRetained(MedicalRecordKind kind, DateOnly today) => today.AddYears(-Years(kind));

    /// <summary>The retention filter: records of this kind dated on or after the retention cut-off.</summary>
    public static IQueryable<T> Retained<T>(this IQueryable<T> records, DateOnly today)
        where T : class, IMedicalRecord
    {
        var oldest = OldestRetained(KindOf<T>(), today);
        return records.Where(r => r.OccurredOn >= oldest);
    }
}

/// <summary>Deletes medical information older than its retention period (run by the operator or on a schedule).</summary>
public sealed class PurgeExpiredMedicalInformation(AppDbContext db, TimeProvider time)
{
    /// <summary>Returns how many records of each kind were deleted.</summary>
    public async Task<IReadOnlyDictionary<MedicalRecordKind, int>> ExecuteAsync(CancellationToken cancellationToken)
    {
        var today = JapanTime.Today(time);
        return new Dictionary<MedicalRecordKind, int>
        {
            [MedicalRecordKind.Medication] = await PurgeAsync(db.Set<MedicationDispensing>(), today, cancellationToken).ConfigureAwait(false),
            [MedicalRecordKind.HealthCheck] = await PurgeAsync(db.Set<HealthCheckResult>(), today, cancellationToken).ConfigureAwait(false),
            [MedicalRecordKind.Treatment] = await PurgeAsync(db.Set<TreatmentRecord>(), today, cancellationToken).ConfigureAwait(false),
            [MedicalRecordKind.Surgery] = await PurgeAsync(db.Set<SurgeryRecord>(), today, cancellationToken).ConfigureAwait(false),
        };
    }

    private static Task<int> PurgeAsync<T>(DbSet<T> set, DateOnly today, CancellationToken cancellationToken)
        where T : class, IMedicalRecord
    {
        var oldest = MedicalInformationRetention.OldestRetained(MedicalInformationRetention.KindOf<T>(), today);
        return set.Where(r => r.OccurredOn < oldest).ExecuteDeleteAsync(cancellationToken);
    }
}
