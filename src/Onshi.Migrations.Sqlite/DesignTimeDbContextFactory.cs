using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Onshi.Server.Data;

namespace Onshi.Migrations.Sqlite;

/// <summary>
/// Lets `dotnet ef migrations add` build the model for this provider without starting the server. The connection
/// string is never opened when adding migrations.
/// </summary>
internal sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<AppDbContext>
{
    public AppDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<AppDbContext>();
        DatabaseServiceCollectionExtensions.Configure(options, DatabaseProvider.Sqlite, "Data Source=data/design-time.db");
        return new AppDbContext(options.Options);
    }
}
