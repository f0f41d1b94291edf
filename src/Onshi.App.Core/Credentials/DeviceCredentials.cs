namespace Onshi.App.Core.Credentials;

/// <summary>What the device keeps after 初期設定: its key and which institution and device it is on the server.</summary>
public sealed record DeviceCredentials(
    string InstitutionCode,
    string InstitutionName,
    string DeviceId,
    string DeviceLabel,
    byte[] DevicePrivateKeyPkcs8,
    DateTimeOffset ActivatedAt);
