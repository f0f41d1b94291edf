using System.Security.Cryptography;

namespace Onshi.Card.Virtual;

/// <summary>An elementary file of the virtual card.</summary>
internal abstract class VirtualEf(byte fid)
{
    /// <summary>Low byte of the FID; all FIDs are 00xx, so it is also the SFI.</summary>
    public byte Fid { get; } = fid;
}

/// <summary>A transparent EF, readable when any one of <see cref="ReadKeys"/> is verified (none = free).</summary>
internal sealed class BinaryEf(byte fid, byte[] content, params byte[] readKeys) : VirtualEf(fid)
{
    public byte[] Content { get; } = content;

    public byte[] ReadKeys { get; } = readKeys;
}

/// <summary>A record EF (the 共通AP card record).</summary>
internal sealed class RecordEf(byte fid, IReadOnlyList<byte[]> records) : VirtualEf(fid)
{
    public IReadOnlyList<byte[]> Records { get; } = records;
}

/// <summary>A key (PIN / 照合番号) internal EF with a persistent retry counter.</summary>
internal sealed class KeyEf(byte fid, string counterName, int maxTries, Func<byte[]?> value, bool changeable) : VirtualEf(fid)
{
    public string CounterName { get; } = counterName;

    public int MaxTries { get; } = maxTries;

    /// <summary>The reference value; null for a key that can never be verified (issued blocked).</summary>
    public Func<byte[]?> Value { get; } = value;

    /// <summary>Whether CHANGE REFERENCE DATA may replace it (the 4-digit PINs).</summary>
    public bool Changeable { get; } = changeable;
}

/// <summary>A private-key internal EF usable for signing once any of <see cref="UseKeys"/> is verified (none = free).</summary>
internal sealed class PrivateKeyEf(byte fid, RSA key, params byte[] useKeys) : VirtualEf(fid)
{
    public RSA Key { get; } = key;

    public byte[] UseKeys { get; } = useKeys;
}

/// <summary>An application DF.</summary>
internal sealed class VirtualDf(string name, byte[] aid, IEnumerable<VirtualEf> files)
{
    public string Name { get; } = name;

    public byte[] Aid { get; } = aid;

    public Dictionary<byte, VirtualEf> Files { get; } = files.ToDictionary(f => f.Fid);
}
