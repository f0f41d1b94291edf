namespace Onshi.Server.Devices;

/// <summary>The active device that signed an app request, as established by the app API's proof filter.</summary>
public sealed record AppDevice(Guid Id, int InstitutionId, string InstitutionCode, string InstitutionName, string Label, byte[] KeyThumbprint);
