using Onshi.Server.Hosting;

namespace Onshi.Server.Tests.Infrastructure;

/// <summary>
/// The key-encryption certificate every test server uses (created once per test run under the temp folder), as
/// Production requires one: the tests run with Data Protection keys encrypted at rest, like a real installation.
/// </summary>
public static class TestKeyEncryption
{
    private static readonly Lazy<(string Path, string Password)> File = new(() =>
    {
        var folder = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "onshi-tests", "key-encryption-" + Guid.NewGuid().ToString("N"));
        var path = System.IO.Path.Combine(folder, "key-encryption.pfx");
        var password = Guid.NewGuid().ToString("N");
        KeyEncryption.CreateCertificateFile(path, password, DateTimeOffset.UtcNow);
        return (path, password);
    });

    public static string CertificatePath => File.Value.Path;

    public static string Password => File.Value.Password;

    /// <summary>The settings that point a server at the certificate.</summary>
    public static IEnumerable<KeyValuePair<string, string?>> Settings =>
    [
        new("DataProtection:KeyEncryptionCertificate", CertificatePath),
        new("DataProtection:KeyEncryptionCertificatePassword", Password),
    ];
}
