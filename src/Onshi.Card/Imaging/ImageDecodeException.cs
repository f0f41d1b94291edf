namespace Onshi.Card.Imaging;

/// <summary>Why a face photo could not be turned into pixels. Stable codes for programs.</summary>
public enum ImageDecodeError
{
    /// <summary>Neither a JPEG 2000 codestream nor a JP2 file (wrong magic bytes, empty input).</summary>
    UnknownFormat,

    /// <summary>Input bytes or image dimensions exceed the limits; refused before decoding.</summary>
    TooLarge,

    /// <summary>OpenJPEG rejected the data: truncated, damaged or malformed.</summary>
    Corrupt,

    /// <summary>Valid JPEG 2000 this code does not render (CMYK, e-sYCC, more than 16 bits per sample…).</summary>
    Unsupported,

    /// <summary>OpenJPEG (libopenjp2) is not installed on this machine.</summary>
    DecoderUnavailable,
}

/// <summary>A face photo that cannot be shown. <see cref="UserMessage"/> is for staff, the code for programs.</summary>
public sealed class ImageDecodeException : Exception
{
    public ImageDecodeException(ImageDecodeError error, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Error = error;
    }

    public ImageDecodeException()
    {
    }

    public ImageDecodeException(string message) : base(message)
    {
    }

    public ImageDecodeException(string message, Exception innerException) : base(message, innerException)
    {
    }

    public ImageDecodeError Error { get; } = ImageDecodeError.Corrupt;

    /// <summary>A Japanese sentence for the person at the counter.</summary>
    public string UserMessage => Error switch
    {
        ImageDecodeError.UnknownFormat => "顔写真のデータ形式が JPEG 2000 ではないため表示できません。",
        ImageDecodeError.TooLarge => "顔写真のデータが大きすぎるため表示できません。",
        ImageDecodeError.Unsupported => "この形式の顔写真には対応していないため表示できません。",
        ImageDecodeError.DecoderUnavailable => "顔写真を表示するためのライブラリ (OpenJPEG) がインストールされていません。",
        _ => "顔写真のデータが壊れているため表示できません。",
    };
}
