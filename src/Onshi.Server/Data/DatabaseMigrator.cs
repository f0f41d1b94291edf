using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Onshi.Server.Data;

/// <summary>
/// Applies the provider's migrations. Only the operator tool (`onshi migrate`) and demo mode call this: the
/// production server never changes its schema by itself.
/// </summary>
public sealed class DatabaseMigrator(AppDbContext db, IOptions<DatabaseOptions> options)
{
    public async Task<IReadOnlyList<string>> MigrateAsync(CancellationToken cancellationToken)
    {
        DatabaseServiceCollectionExtensions.EnsureSqliteFolderExists(options.Value);
        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken).ConfigureAwait(false)).ToList();
        await db.Database.MigrateAsync(cancellationToken).ConfigureAwait(false);
        return pending;
    }
}
