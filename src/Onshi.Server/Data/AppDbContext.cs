using Microsoft.EntityFrameworkCore;
using Onshi.Server.Accounts;
using Onshi.Server.ActivationCodes;
using Onshi.Server.Audit;
using Onshi.Server.Institutions;
using Onshi.Server.Settings;

namespace Onshi.Server.Data;

public sealed class AppDbContext(DbContextOptions<AppDbContext> options, IInstitutionScope? scope = null) : DbContext(options)
{
    public DbSet<Institution> Institutions => Set<Institution>();

    public DbSet<Account> Accounts => Set<Account>();

    public DbSet<InstitutionSettings> InstitutionSettings => Set<InstitutionSettings>();

    public DbSet<TermsAgreement> TermsAgreements => Set<TermsAgreement>();

    public DbSet<ActivationCode> ActivationCodes => Set<ActivationCode>();

    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();

    public DbSet<AuditChainHead> AuditChainHeads => Set<AuditChainHead>();

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
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        if (Database.IsSqlite())
        {
            configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UtcTicksConverter>();
        }
    }
}
