using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Onshi.Card.Imaging;

/// <summary>The two JPEG 2000 packagings a card may hold.</summary>
public enum Jpeg2000Container
{
    /// <summary>A raw codestream (.j2k/.j2c), starting with SOC FF4F and SIZ FF51.</summary>
    Codestream,

    /// <summary>A JP2 file (.jp2), starting with the 12-byte signature box "jP  \r\n\x87\n".</summary>
    Jp2,
}

/// <summary>Refusals applied before OpenJPEG allocates anything for the pixels.</summary>
/// <param name="MaxInputBytes">Card face photos are a few KiB; 4 MiB leaves room for scans.</param>
/// <param name="MaxWidth">Widest image accepted, in pixels.</param>
/// <param name="MaxHeight">Tallest image accepted, in pixels.</param>
/// <param name="MaxPixels">Largest width × height accepted.</param>
public sealed record Jpeg2000Limits(int MaxInputBytes, int MaxWidth, int MaxHeight, long MaxPixels)
{
    public static Jpeg2000Limits Default { get; } = new(4 * 1024 * 1024, 4096, 4096, 16L * 1024 * 1024);
}

/// <summary>
/// Decodes JPEG 2000 (codestream or JP2) with the system's OpenJPEG into 8-bit gray or RGB pixels, and to PNG
/// for browsers (which do not display JPEG 2000). Input is read from memory through OpenJPEG's stream callbacks;
/// every native object is freed in <c>finally</c> whatever happens.
/// </summary>
public static class Jpeg2000Decoder
{
    private static readonly byte[] Jp2Signature = [0x00, 0x00, 0x00, 0x0C, 0x6A, 0x50, 0x20, 0x20, 0x0D, 0x0A, 0x87, 0x0A];
    private static readonly byte[] CodestreamStart = [0xFF, 0x4F, 0xFF, 0x51];

    /// <summary>Which packaging <paramref name="data"/> uses, by its magic bytes; null when it is not JPEG 2000.</summary>
    public static Jpeg2000Container? Detect(ReadOnlySpan<byte> data)
        => data.StartsWith(Jp2Signature) ? Jpeg2000Container.Jp2
            : data.StartsWith(CodestreamStart) ? Jpeg2000Container.Codestream
            : null;

    /// <summary>Decodes and re-encodes as PNG: what the app sends to a browser.</summary>
    /// <exception cref="ImageDecodeException">Unknown format, too large, corrupt, unsupported, or no OpenJPEG.</exception>
    public static byte[] ToPng(ReadOnlySpan<byte> data, Jpeg2000Limits? limits = null)
        => PngEncoder.Encode(Decode(data, limits));

    /// <exception cref="ImageDecodeException">Unknown format, too large, corrupt, unsupported, or no OpenJPEG.</exception>
    public static unsafe RasterImage Decode(ReadOnlySpan<byte> data, Jpeg2000Limits? limits = null)
    {
        limits ??= Jpeg2000Limits.Default;
        var container = Detect(data) ?? throw new ImageDecodeException(ImageDecodeError.UnknownFormat,
            data.IsEmpty ? "The image is empty." : "The image is neither a JPEG 2000 codestream nor a JP2 file (magic bytes do not match).");
        if (data.Length > limits.MaxInputBytes)
        {
            throw new ImageDecodeException(ImageDecodeError.TooLarge,
                $"The image has {data.Length} bytes; at most {limits.MaxInputBytes} are accepted.");
        }

        var native = OpenJpegNative.Shared ?? throw new ImageDecodeException(ImageDecodeError.DecoderUnavailable,
            "OpenJPEG (libopenjp2) is not installed; on Debian install libopenjp2-7.");

        var log = new MessageLog();
        var logHandle = GCHandle.Alloc(log);
        nint codec = 0;
        nint stream = 0;
        OpjImage* image = null;
        var parameters = (byte*)NativeMemory.AllocZeroed(OpenJpegNative.DecoderParametersBufferSize);
        try
        {
            fixed (byte* bytes = data)
            {
                var source = new MemorySource { Data = bytes, Length = data.Length, Position = 0 };

                codec = native.CreateDecompress(container == Jpeg2000Container.Jp2 ? OpenJpegNative.CodecJp2 : OpenJpegNative.CodecJ2k);
                if (codec == 0)
                {
                    throw new ImageDecodeException(ImageDecodeError.DecoderUnavailable, "OpenJPEG could not create a decoder.");
                }

                var onMessage = (nint)(delegate* unmanaged[Cdecl]<byte*, void*, void>)&OnMessage;
                var ignore = (nint)(delegate* unmanaged[Cdecl]<byte*, void*, void>)&IgnoreMessage;
                var logPointer = GCHandle.ToIntPtr(logHandle);
                native.SetErrorHandler(codec, onMessage, logPointer);
                native.SetWarningHandler(codec, ignore, 0);
                native.SetInfoHandler(codec, ignore, 0);

                native.SetDefaultDecoderParameters(parameters);
                if (native.SetupDecoder(codec, parameters) == 0)
                {
                    throw new ImageDecodeException(ImageDecodeError.DecoderUnavailable, "OpenJPEG refused the decoder setup." + log.Suffix());
                }

                stream = native.StreamCreate(64 * 1024, 1);
                if (stream == 0)
                {
                    throw new ImageDecodeException(ImageDecodeError.DecoderUnavailable, "OpenJPEG could not create an input stream.");
                }

                native.StreamSetReadFunction(stream, (nint)(delegate* unmanaged[Cdecl]<byte*, nuint, MemorySource*, nuint>)&Read);
                native.StreamSetSkipFunction(stream, (nint)(delegate* unmanaged[Cdecl]<long, MemorySource*, long>)&Skip);
                native.StreamSetSeekFunction(stream, (nint)(delegate* unmanaged[Cdecl]<long, MemorySource*, int>)&Seek);
                native.StreamSetUserData(stream, &source, 0);
                native.StreamSetUserDataLength(stream, (ulong)data.Length);

                if (native.ReadHeader(stream, codec, &image) == 0 || image is null)
                {
                    throw new ImageDecodeException(ImageDecodeError.Corrupt, "The JPEG 2000 header is damaged." + log.Suffix());
                }

                CheckHeader(image, limits);

                if (native.Decode(codec, stream, image) == 0 || native.EndDecompress(codec, stream) == 0)
                {
                    throw new ImageDecodeException(ImageDecodeError.Corrupt, "The JPEG 2000 data is damaged or truncated." + log.Suffix());
                }

                return ToRaster(image);
            }
        }
        finally
        {
            if (image is not null)
            {
                native.ImageDestroy(image);
            }

            if (stream != 0)
            {
                native.StreamDestroy(stream);
            }

            if (codec != 0)
            {
                native.DestroyCodec(codec);
            }

            NativeMemory.Free(parameters);
            logHandle.Free();
        }
    }

    private static unsafe void CheckHeader(OpjImage* image, Jpeg2000Limits limits)
    {
        if (image->X1 <= image->X0 || image->Y1 <= image->Y0 || image->ComponentCount == 0 || image->Components is null)
        {
            throw new ImageDecodeException(ImageDecodeError.Corrupt, "The JPEG 2000 header describes an empty image.");
        }

        long width = image->X1 - image->X0;
        long height = image->Y1 - image->Y0;
        if (width > limits.MaxWidth || height > limits.MaxHeight || width * height > limits.MaxPixels)
        {
            throw new ImageDecodeException(ImageDecodeError.TooLarge,
                $"The image is {width}×{height} pixels; at most {limits.MaxWidth}×{limits.MaxHeight} and {limits.MaxPixels} pixels are accepted.");
        }

        if (image->ComponentCount > 4)
        {
            throw new ImageDecodeException(ImageDecodeError.Unsupported, $"The image has {image->ComponentCount} components; 1 to 4 are supported.");
        }

        if (image->ColorSpace is not (OpenJpegNative.ColorSpaceUnknown or OpenJpegNative.ColorSpaceUnspecified
            or OpenJpegNative.ColorSpaceSrgb or OpenJpegNative.ColorSpaceGray or OpenJpegNative.ColorSpaceSycc))
        {
            throw new ImageDecodeException(ImageDecodeError.Unsupported, $"OpenJPEG colour space {image->ColorSpace} (CMYK or e-sYCC) is not supported.");
        }

        for (var i = 0; i < image->ComponentCount; i++)
        {
            var component = image->Components[i];
            if (component.Precision is 0 or > 16 || component.Dx == 0 || component.Dy == 0)
            {
                throw new ImageDecodeException(ImageDecodeError.Unsupported,
                    $"Component {i} has {component.Precision} bits and subsampling {component.Dx}×{component.Dy}; 1–16 bits and subsampling ≥ 1 are supported.");
            }
        }
    }

    private static unsafe RasterImage ToRaster(OpjImage* image)
    {
        var width = (int)(image->X1 - image->X0);
        var height = (int)(image->Y1 - image->Y0);

        // Colour channels are the components that are not alpha; an alpha channel is dropped (the photo is opaque).
        var colour = new List<int>(4);
        for (var i = 0; i < (int)image->ComponentCount; i++)
        {
            if (image->Components[i].Alpha == 0)
            {
                colour.Add(i);
            }
        }

        if (colour.Count == 0)
        {
            colour.Add(0);
        }

        var rgb = colour.Count >= 3;
        var channels = rgb ? 3 : 1;
        var planes = new byte[channels][];
        for (var c = 0; c < channels; c++)
        {
            planes[c] = Plane(image, colour[c], width, height);
        }

        var pixels = new byte[width * height * channels];
        if (!rgb)
        {
            planes[0].CopyTo(pixels, 0);
            return new RasterImage(width, height, RasterFormat.Gray8, pixels);
        }

        var sycc = image->ColorSpace == OpenJpegNative.ColorSpaceSycc;
        for (var i = 0; i < width * height; i++)
        {
            if (sycc)
            {
                (pixels[3 * i], pixels[(3 * i) + 1], pixels[(3 * i) + 2]) = YccToRgb(planes[0][i], planes[1][i], planes[2][i]);
            }
            else
            {
                pixels[3 * i] = planes[0][i];
                pixels[(3 * i) + 1] = planes[1][i];
                pixels[(3 * i) + 2] = planes[2][i];
            }
        }

        return new RasterImage(width, height, RasterFormat.Rgb8, pixels);
    }

    /// <summary>One component as 8-bit samples on the full image grid (subsampled components are repeated).</summary>
    private static unsafe byte[] Plane(OpjImage* image, int index, int width, int height)
    {
        var component = image->Components[index];
        if (component.Data is null || component.Width == 0 || component.Height == 0)
        {
            throw new ImageDecodeException(ImageDecodeError.Corrupt, $"OpenJPEG produced no samples for component {index}.");
        }

        var columns = new int[width];
        for (var x = 0; x < width; x++)
        {
            columns[x] = Math.Clamp((int)((image->X0 + (uint)x) / component.Dx) - (int)component.X0, 0, (int)component.Width - 1);
        }

        var precision = (int)component.Precision;
        var offset = component.Signed != 0 ? 1 << (precision - 1) : 0;
        var maximum = (1 << precision) - 1;
        var plane = new byte[width * height];
        for (var y = 0; y < height; y++)
        {
            var row = Math.Clamp((int)((image->Y0 + (uint)y) / component.Dy) - (int)component.Y0, 0, (int)component.Height - 1);
            var samples = component.Data + ((long)row * component.Width);
            for (var x = 0; x < width; x++)
            {
                var value = Math.Clamp(samples[columns[x]] + offset, 0, maximum);
                plane[(y * width) + x] = precision == 8 ? (byte)value
                    : precision > 8 ? (byte)(value >> (precision - 8))
                    : (byte)(((value * 255) + (maximum / 2)) / maximum);
            }
        }

        return plane;
    }

    /// <summary>sYCC (ITU-R BT.601 full range, as JPEG 2000 defines it) to sRGB.</summary>
    internal static (byte R, byte G, byte B) YccToRgb(byte y, byte cb, byte cr)
    {
        var u = cb - 128.0;
        var v = cr - 128.0;
        return (Clamp(y + (1.402 * v)), Clamp(y - (0.344136 * u) - (0.714136 * v)), Clamp(y + (1.772 * u)));

        static byte Clamp(double value) => (byte)Math.Clamp(Math.Round(value, MidpointRounding.AwayFromZero), 0, 255);
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static unsafe nuint Read(byte* buffer, nuint count, MemorySource* source)
    {
        var remaining = source->Length - source->Position;
        if (remaining <= 0)
        {
            return unchecked((nuint)(-1)); // OpenJPEG's end-of-stream marker
        }

        var n = (long)Math.Min((ulong)count, (ulong)remaining);
        Buffer.MemoryCopy(source->Data + source->Position, buffer, (long)count, n);
        source->Position += n;
        return (nuint)n;
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static unsafe long Skip(long count, MemorySource* source)
    {
        var target = source->Position + count;
        if (target < 0 || (count > 0 && source->Position >= source->Length))
        {
            return -1;
        }

        target = Math.Min(target, source->Length);
        var skipped = target - source->Position;
        source->Position = target;
        return skipped;
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static unsafe int Seek(long position, MemorySource* source)
    {
        if (position < 0 || position > source->Length)
        {
            return 0;
        }

        source->Position = position;
        return 1;
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static unsafe void OnMessage(byte* message, void* client)
    {
        try
        {
            if (GCHandle.FromIntPtr((nint)client).Target is MessageLog log)
            {
                log.Add(Marshal.PtrToStringUTF8((nint)message));
            }
        }
#pragma warning disable CA1031 // Nothing may unwind into OpenJPEG's C frames; losing one message is harmless.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static unsafe void IgnoreMessage(byte* message, void* client)
    {
    }

    [StructLayout(LayoutKind.Sequential)]
    private unsafe struct MemorySource
    {
        public byte* Data;
        public long Length;
        public long Position;
    }

    /// <summary>OpenJPEG's error messages, kept (a few, short) to explain a refusal.</summary>
    private sealed class MessageLog
    {
        private readonly List<string> _messages = [];

        public void Add(string? message)
        {
            if (string.IsNullOrWhiteSpace(message) || _messages.Count >= 5)
            {
                return;
            }

            var trimmed = message.Trim();
            _messages.Add(trimmed.Length > 160 ? trimmed[..160] : trimmed);
        }

        public string Suffix() => _messages.Count == 0 ? "" : " OpenJPEG: " + string.Join(" / ", _messages);
    }
}
