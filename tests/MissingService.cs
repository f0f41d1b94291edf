using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;

namespace Onshi.Tests;

/// <summary>
/// What a test does when a service it needs (PostgreSQL, pcscd with vpcd, Chromium, the dotnet host) is not there:
/// on a developer's machine it is skipped with the reason; under CI=true it fails, because a CI run that silently skips
/// the PostgreSQL or browser half of the suite would report green for code nobody tested.
/// Linked into every test project by tests/Directory.Build.props.
/// </summary>
internal static class MissingService
{
    public static bool InCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    [DoesNotReturn]
    public static void Skip(string reason)
    {
        if (InCi)
        {
            Assert.Fail("CI=true, so a missing service is a failure, not a skip: " + reason);
        }

        Assert.Skip(reason);
        throw new UnreachableException();
    }
}
