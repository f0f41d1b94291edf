using System.Text;
using Onshi.App.Core.Credentials;

namespace Onshi.App.Core.Tests.Credentials;

public sealed class CredentialStoreTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "onshi-cred-" + Guid.NewGuid().ToString("N"));

    private static DeviceCredentials Sample() => new("0110113719", "オンシ医院", "dev-1", "受付タブレット1",
        Encoding.ASCII.GetBytes("PRIVATE-KEY-MATERIAL-0123456789"), new DateTimeOffset(2026, 11, 25, 1, 0, 0, TimeSpan.Zero));

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void SavedCredentialsComeBackInANewStoreInstance()
    {
        new CredentialStore(_folder).Save(Sample());

        var loaded = new CredentialStore(_folder).Load();

        Assert.NotNull(loaded);
        Assert.Equal("0110113719", loaded.InstitutionCode);
        Assert.Equal("受付タブレット1", loaded.DeviceLabel);
        Assert.Equal(Sample().DevicePrivateKeyPkcs8, loaded.DevicePrivateKeyPkcs8);
    }

    [Fact]
    public void TheFileOnDiskIsEncryptedAndOwnerOnly()
    {
        var store = new CredentialStore(_folder);
        store.Save(Sample());

        var raw = File.ReadAllBytes(store.CredentialsPath);
        Assert.DoesNotContain("PRIVATE-KEY-MATERIAL", Encoding.ASCII.GetString(raw), StringComparison.Ordinal);
        Assert.DoesNotContain("0110113719", Encoding.ASCII.GetString(raw), StringComparison.Ordinal);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(store.CredentialsPath));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(_folder));
            var keyFiles = Directory.GetFiles(store.KeyRingPath);
            Assert.NotEmpty(keyFiles);
            foreach (var file in keyFiles)
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
            }
        }
    }

    [Fact]
    public void WipeRemovesTheCredentialsAndTheirKeys()
    {
        var store = new CredentialStore(_folder);
        store.Save(Sample());
        var copy = File.ReadAllBytes(store.CredentialsPath);

        store.Wipe();

        Assert.Null(store.Load());
        Assert.False(File.Exists(store.CredentialsPath));
        Assert.Empty(Directory.GetFiles(store.KeyRingPath));
        // An old copy of the file (a backup) can no longer be opened on this device.
        File.WriteAllBytes(store.CredentialsPath, copy);
        Assert.Null(new CredentialStore(_folder).Load());
    }

    [Fact]
    public void ATamperedFileIsTreatedAsNoCredentials()
    {
        var store = new CredentialStore(_folder);
        store.Save(Sample());
        var raw = File.ReadAllBytes(store.CredentialsPath);
        raw[^5] ^= 0x40;
        File.WriteAllBytes(store.CredentialsPath, raw);

        Assert.Null(new CredentialStore(_folder).Load());
    }
}
