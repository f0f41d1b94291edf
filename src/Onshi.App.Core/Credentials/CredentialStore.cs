using System.Security.Cryptography;
using System.Text.Json;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.Extensions.DependencyInjection;

namespace Onshi.App.Core.Credentials;

/// <summary>Where the device credentials live. See readme.md in this folder for what it protects against and what not.</summary>
public interface ICredentialStore
{
    DeviceCredentials? Load();

    void Save(DeviceCredentials credentials);

    /// <summary>Removes the credentials and the keys that protected them (device invalidated, or reset by staff).</summary>
    void Wipe();
}

/// <summary>
/// Keeps <see cref="DeviceCredentials"/> in <c>DATA/credentials.bin</c>, encrypted and authenticated with ASP.NET Core
/// Data Protection whose key ring lives in <c>DATA/keys</c> (on Windows additionally wrapped with DPAPI).
/// Every file and folder is created owner-only (600 / 700) on Unix.
/// </summary>
public sealed class CredentialStore : ICredentialStore
{
    private const string Purpose = "Onshi.App.DeviceCredentials.v1";
    private const string FileName = "credentials.bin";
    private const string KeysFolder = "keys";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly string _folder;
    private readonly Lock _lock = new();
    private IDataProtector? _protector;

    public CredentialStore(string dataFolder)
    {
        ArgumentException.ThrowIfNullOrEmpty(dataFolder);
        _folder = Path.GetFullPath(dataFolder);
        PrivateFiles.EnsureFolder(_folder);
    }

    public string CredentialsPath => Path.Combine(_folder, FileName);

    public string KeyRingPath => Path.Combine(_folder, KeysFolder);

    public DeviceCredentials? Load()
    {
        lock (_lock)
        {
            if (!File.Exists(CredentialsPath))
            {
                return null;
            }

            var sealedBytes = File.ReadAllBytes(CredentialsPath);
            byte[] plain;
            try
            {
                plain = Protector().Unprotect(sealedBytes);
            }
            catch (CryptographicException)
            {
                // Key ring lost or file tampered with: the device must be set up again; never guess.
                return null;
            }

            try
            {
                return JsonSerializer.Deserialize<DeviceCredentials>(plain, Json);
            }
            catch (JsonException)
            {
                return null;
            }
            finally
            {
                CryptographicOperations.ZeroMemory(plain);
            }
        }
    }

    public void Save(DeviceCredentials credentials)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        lock (_lock)
        {
            var plain = JsonSerializer.SerializeToUtf8Bytes(credentials, Json);
            try
            {
                PrivateFiles.WriteAtomically(CredentialsPath, Protector().Protect(plain));
            }
            finally
            {
                CryptographicOperations.ZeroMemory(plain);
            }
        }
    }

    public void Wipe()
    {
        lock (_lock)
        {
            PrivateFiles.Shred(CredentialsPath);
            if (Directory.Exists(KeyRingPath))
            {
                foreach (var file in Directory.GetFiles(KeyRingPath))
                {
                    PrivateFiles.Shred(file);
                }
            }

            // A new key ring is created on the next Save, so an old copy of credentials.bin stays unreadable.
            _protector = null;
        }
    }

    private IDataProtector Protector()
    {
        if (_protector is not null)
        {
            return _protector;
        }

        PrivateFiles.EnsureFolder(KeyRingPath);
        var services = new ServiceCollection();
        var builder = services.AddDataProtection().SetApplicationName("Onshi.App");
        services.Configure<Microsoft.AspNetCore.DataProtection.KeyManagement.KeyManagementOptions>(o =>
            o.XmlRepository = new PrivateXmlRepository(KeyRingPath));
        if (OperatingSystem.IsWindows())
        {
            builder.ProtectKeysWithDpapi();
        }

        var provider = services.BuildServiceProvider();
        _protector = provider.GetRequiredService<IDataProtectionProvider>().CreateProtector(Purpose);
        return _protector;
    }

    /// <summary>The key ring as owner-only XML files (the framework's file repository would use the process umask).</summary>
    private sealed class PrivateXmlRepository(string folder) : IXmlRepository
    {
        public IReadOnlyCollection<XElement> GetAllElements() =>
            [.. Directory.GetFiles(folder, "*.xml").Order(StringComparer.Ordinal).Select(f => XElement.Load(f))];

        public void StoreElement(XElement element, string friendlyName)
        {
            var safeName = string.Concat(friendlyName.Where(char.IsAsciiLetterOrDigit));
            using var buffer = new MemoryStream();
            element.Save(buffer);
            PrivateFiles.WriteAtomically(Path.Combine(folder, $"key-{safeName}-{Guid.NewGuid():N}.xml"), buffer.ToArray());
        }
    }
}

/// <summary>Owner-only files and folders, written atomically, overwritten before deletion.</summary>
internal static class PrivateFiles
{
    private const UnixFileMode OwnerFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OwnerFolder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    public static void EnsureFolder(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
            return;
        }

        Directory.CreateDirectory(path, OwnerFolder);
        File.SetUnixFileMode(path, OwnerFolder);
    }

    public static void WriteAtomically(string path, ReadOnlySpan<byte> content)
    {
        var temporary = Path.Combine(Path.GetDirectoryName(path)!, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Options = FileOptions.WriteThrough };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = OwnerFile;
        }

        using (var stream = new FileStream(temporary, options))
        {
            stream.Write(content);
            stream.Flush(true);
        }

        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Overwrites with zeros then deletes. On flash storage this is best effort: see readme.md.</summary>
    public static void Shred(string path)
    {
        if (!File.Exists(path))
        {
            return;
        }

        var length = new FileInfo(path).Length;
        using (var stream = new FileStream(path, FileMode.Open, FileAccess.Write))
        {
            stream.Write(new byte[length]);
            stream.Flush(true);
        }

        File.Delete(path);
    }
}
