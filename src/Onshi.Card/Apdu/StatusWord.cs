using System.Globalization;

namespace Onshi.Card.Apdu;

/// <summary>An ISO 7816-4 status word (SW1 SW2) with the names JICSAP gives the ones this card uses.</summary>
public readonly record struct StatusWord(ushort Value)
{
    public StatusWord(byte sw1, byte sw2) : this((ushort)((sw1 << 8) | sw2))
    {
    }

    public byte Sw1 => (byte)(Value >> 8);

    public byte Sw2 => (byte)Value;

    public static StatusWord Success { get; } = new(0x9000);
    public static StatusWord OutputDataFailure { get; } = new(0x6281);
    public static StatusWord VerificationFailedUnlimited { get; } = new(0x6300);
    public static StatusWord WrongLength { get; } = new(0x6700);
    public static StatusWord LogicalChannelNotSupported { get; } = new(0x6881);
    public static StatusWord SecureMessagingNotSupported { get; } = new(0x6882);
    public static StatusWord IncompatibleWithFileStructure { get; } = new(0x6981);
    public static StatusWord SecurityStatusNotSatisfied { get; } = new(0x6982);
    public static StatusWord AuthenticationMethodBlocked { get; } = new(0x6984);
    public static StatusWord ConditionsOfUseNotSatisfied { get; } = new(0x6985);
    public static StatusWord CommandNotAllowedNoCurrentEf { get; } = new(0x6986);
    public static StatusWord SecureMessagingDataObjectsIncorrect { get; } = new(0x69FC);
    public static StatusWord IncorrectData { get; } = new(0x6A80);
    public static StatusWord FunctionNotSupported { get; } = new(0x6A81);
    public static StatusWord FileNotFound { get; } = new(0x6A82);
    public static StatusWord RecordNotFound { get; } = new(0x6A83);
    public static StatusWord IncorrectP1P2 { get; } = new(0x6A86);
    public static StatusWord LcInconsistentWithP1P2 { get; } = new(0x6A87);
    public static StatusWord ReferencedDataNotFound { get; } = new(0x6A88);
    public static StatusWord WrongOffset { get; } = new(0x6B00);
    public static StatusWord InsNotSupported { get; } = new(0x6D00);
    public static StatusWord ClaNotSupported { get; } = new(0x6E00);
    public static StatusWord NoPreciseDiagnosis { get; } = new(0x6F00);

    /// <summary><c>63Cx</c>: verification failed, x tries left (x = 0: this attempt used the last one).</summary>
    public static StatusWord VerificationFailed(int triesLeft)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(triesLeft);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(triesLeft, 15);
        return new StatusWord((ushort)(0x63C0 | triesLeft));
    }

    public bool IsSuccess => Value == 0x9000;

    /// <summary>True for <c>63Cx</c>.</summary>
    public bool IsVerificationFailed => (Value & 0xFFF0) == 0x63C0;

    /// <summary>The x of <c>63Cx</c>, otherwise null.</summary>
    public int? TriesLeft => IsVerificationFailed ? Value & 0x0F : null;

    /// <summary>The JICSAP meaning, for logs and error messages.</summary>
    public string Name => Value switch
    {
        0x9000 => "Success",
        0x6281 => "OutputDataFailure",
        0x6300 => "VerificationFailedUnlimited",
        0x6700 => "WrongLength",
        0x6881 => "LogicalChannelNotSupported",
        0x6882 => "SecureMessagingNotSupported",
        0x6981 => "IncompatibleWithFileStructure",
        0x6982 => "SecurityStatusNotSatisfied",
        0x6984 => "AuthenticationMethodBlocked",
        0x6985 => "ConditionsOfUseNotSatisfied",
        0x6986 => "CommandNotAllowedNoCurrentEf",
        0x69FC => "SecureMessagingDataObjectsIncorrect",
        0x6A80 => "IncorrectData",
        0x6A81 => "FunctionNotSupported",
        0x6A82 => "FileNotFound",
        0x6A83 => "RecordNotFound",
        0x6A86 => "IncorrectP1P2",
        0x6A87 => "LcInconsistentWithP1P2",
        0x6A88 => "ReferencedDataNotFound",
        0x6B00 => "WrongOffset",
        0x6D00 => "InsNotSupported",
        0x6E00 => "ClaNotSupported",
        0x6F00 => "NoPreciseDiagnosis",
        _ when IsVerificationFailed => string.Create(CultureInfo.InvariantCulture, $"VerificationFailed({Value & 0x0F} tries left)"),
        _ => "Unknown",
    };

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Value:X4} {Name}");
}
