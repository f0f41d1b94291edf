using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Onshi.Server.Accounts;
using Onshi.Server.ActivationCodes;
using Onshi.Server.AppSessions;
using Onshi.Server.Audit;
using Onshi.Server.Challenges;
using Onshi.Server.Confirmations;
using Onshi.Server.Consent;
using Onshi.Server.Devices;
using Onshi.Server.CardLinks;
using Onshi.Server.Insurance;
using Onshi.Server.Institutions;
using Onshi.Server.MedicalInformation;
using Onshi.Server.Receipt;
using Onshi.Server.Revocation;
using Onshi.Server.Settings;
using Onshi.Server.TwoFactor;

namespace Onshi.Server.Data;

public sealed class AppDbContext(DbContextOptions<AppDbContext> options, IInstitutionScope? scope = null) : DbContext(options), IDataProtectionKeyContext
{
    /// <summary>ASP.NET Core Data Protection keys (portal cookies, antiforgery), shared by every server process.</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    public DbSet<Institution> Institutions => Set<Institution>();

    public DbSet<Account> Accounts => Set<Account>();

    public DbSet<InstitutionSettings> InstitutionSettings => Set<InstitutionSettings>();

    public DbSet<TermsAgreement> TermsAgreements => Set<TermsAgreement>();

    public DbSet<ActivationCode> ActivationCodes => Set<ActivationCode>();

    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();

    public DbSet<Device> Devices => Set<Device>();

    public DbSet<UsedProof> UsedProofs => Set<UsedProof>();

    public DbSet<AppSession> AppSessions => Set<AppSession>();

    public DbSet<Challenge> Challenges => Set<Challenge>();

    public DbSet<AppConfirmation> AppConfirmations => Set<AppConfirmation>();

    public DbSet<ConsentRecord> ConsentRecords => Set<ConsentRecord>();

    public DbSet<MedicalViewing.MedicalInformationView> MedicalInformationViews => Set<MedicalViewing.MedicalInformationView>();
    // レセコン interface (Receipt/)
    public DbSet<Emergency.EmergencyActivation> EmergencyActivations => Set<Emergency.EmergencyActivation>();

    public DbSet<Emergency.EmergencyConsent> EmergencyConsents => Set<Emergency.EmergencyConsent>();

    public DbSet<MachineAccount> MachineAccounts => Set<MachineAccount>();

    public DbSet<ReferenceNumberRecord> ReferenceNumbers => Set<ReferenceNumberRecord>();

    public DbSet<BulkJob> BulkJobs => Set<BulkJob>();

    public DbSet<ConfirmationFeedEntry> ConfirmationFeed => Set<ConfirmationFeedEntry>();

    public DbSet<ConfirmationFeedCounter> ConfirmationFeedCounters => Set<ConfirmationFeedCounter>();

    // Qualification data (national, not institution-owned: no institution filter).
    public DbSet<Insurer> Insurers => Set<Insurer>();

    public DbSet<InsuredPerson> InsuredPersons => Set<InsuredPerson>();

    public DbSet<Qualification> Qualifications => Set<Qualification>();

    public DbSet<ElderlyRecipientCertificate> ElderlyRecipientCertificates => Set<ElderlyRecipientCertificate>();

    public DbSet<LimitCertificate> LimitCertificates => Set<LimitCertificate>();

    public DbSet<SpecificDiseaseCertificate> SpecificDiseaseCertificates => Set<SpecificDiseaseCertificate>();

    public DbSet<MedicalAssistance.MedicalAssistanceQualification> MedicalAssistanceQualifications => Set<MedicalAssistance.MedicalAssistanceQualification>();

    public DbSet<MedicalAssistance.MedicalTicket> MedicalTickets => Set<MedicalAssistance.MedicalTicket>();

    public DbSet<CardLink> CardLinks => Set<CardLink>();

    public DbSet<MedicationDispensing> MedicationDispensings => Set<MedicationDispensing>();

    public DbSet<HealthCheckResult> HealthCheckResults => Set<HealthCheckResult>();

    public DbSet<TreatmentRecord> TreatmentRecords => Set<TreatmentRecord>();

    public DbSet<SurgeryRecord> SurgeryRecords => Set<SurgeryRecord>();

    public DbSet<StoredRevocationList> RevocationLists => Set<StoredRevocationList>();
    public DbSet<AuditChainHead> AuditChainHeads => Set<AuditChainHead>();

    public DbSet<TwoFactorCredential> TwoFactorCredentials => Set<TwoFactorCredential>();

    public DbSet<RecoveryCode> RecoveryCodes => Set<RecoveryCode>();

    /// <summary>
    /// The institution this context may see; 0 (no institution has it) when nobody is signed in. Code that must look
    /// across institutions (login, the operator tool) says so explicitly with IgnoreQueryFilters().
    /// </summary>
    internal int ScopedInstitutionId => scope?.InstitutionId ?? 0;

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(AppDbContext).Assembly);

        // Institution scoping, in one place: every institution-owned table is filtered by the signed-in institution.
        modelBuilder.Entity<Account>().HasQueryFilter(a => a.InstitutionId == ScopedInstitutionId);
        modelBuilder.Entity<InstitutionSettings>().HasQueryFilter(s => s.InstitutionId == ScopedInstitutionId);
        modelBuilder.Entity<TermsAgreement>().HasQueryFilter(t => t.InstitutionId == ScopedInstitutionId);
        modelBuilder.Entity<ActivationCode>().HasQueryFilter(c => c.InstitutionId == ScopedInstitutionId);
        modelBuilder.Entity<AuditEntry>().HasQueryFilter(e => e.InstitutionId == ScopedInstitutionId);
        modelBuilder.Entity<Device>().HasQueryFilter(d => d.InstitutionId == ScopedInstitutionId);
        modelBuilder.Entity<AppConfirmation>().HasQueryFilter(c => c.InstitutionId == ScopedInstitutionId);
        modelBuilder.Entity<ConsentRecord>().HasQueryFilter(c => c.InstitutionId == ScopedInstitutionId);
        modelBuilder.Entity<MedicalViewing.MedicalInformationView>().HasQueryFilter(v => v.InstitutionId == ScopedInstitutionId);
        modelBuilder.Entity<Emergency.EmergencyActivation>().HasQueryFilter(a => a.InstitutionId == ScopedInstitutionId);
        modelBuilder.Entity<Emergency.EmergencyConsent>().HasQueryFilter(c => c.InstitutionId == ScopedInstitutionId);
        modelBuilder.Entity<MachineAccount>().HasQueryFilter(m => m.InstitutionId == ScopedInstitutionId);
        modelBuilder.Entity<ReferenceNumberRecord>().HasQueryFilter(r => r.InstitutionId == ScopedInstitutionId);
        modelBuilder.Entity<BulkJob>().HasQueryFilter(j => j.InstitutionId == ScopedInstitutionId);
        modelBuilder.Entity<ConfirmationFeedEntry>().HasQueryFilter(e => e.InstitutionId == ScopedInstitutionId);
        modelBuilder.Entity<TwoFactorCredential>().HasQueryFilter(c => c.InstitutionId == ScopedInstitutionId);
        modelBuilder.Entity<RecoveryCode>().HasQueryFilter(c => c.InstitutionId == ScopedInstitutionId);

        // AppSessions, Challenges and UsedProofs are never shown in the portal: the app API reads them by their keys
        // (token hash, id) and checks the device itself, so they carry no institution filter.
    }

    // Hook for the レセコン feed (Receipt/readme.md): whoever stores an app confirmation, its outbox row is written in the
    // same SaveChanges, so a committed confirmation always has a feed entry and a rolled-back one never has.
    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        ReceiptFeed.AddEntriesForNewConfirmations(this);
        return base.SaveChanges(acceptAllChangesOnSuccess);
    }

    public override Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        ReceiptFeed.AddEntriesForNewConfirmations(this);
        return base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        if (Database.IsSqlite())
        {
            configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UtcTicksConverter>();
        }
    }
}
