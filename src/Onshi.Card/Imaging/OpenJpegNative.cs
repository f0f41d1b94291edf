using System.Runtime.InteropServices;

namespace Onshi.Card.Imaging;

/// <summary>
/// The few OpenJPEG 2.x decoder entry points we use, resolved at run time from the system library (Debian:
/// libopenjp2.so.7 from libopenjp2-7). Function pointers rather than [LibraryImport] because the file name differs
/// per platform and the assembly's single DllImport resolver is not ours to take.
/// </summary>
internal sealed unsafe class OpenJpegNative
{
    public const int CodecJ2k = 0;
    public const int CodecJp2 = 2;

    /// <summary>sizeof(opj_dparameters_t) is 8252 bytes in 2.5 on x86-64; a generous buffer covers other builds.</summary>
    public const int DecoderParametersBufferSize = 16384;

    public const int ColorSpaceUnknown = -1;
    public const int ColorSpaceUnspecified = 0;
    public const int ColorSpaceSrgb = 1;
    public const int ColorSpaceGray = 2;
    public const int ColorSpaceSycc = 3;

    private static readonly Lazy<OpenJpegNative?> SharedInstance = new(Load, LazyThreadSafetyMode.ExecutionAndPublication);

    private OpenJpegNative(nint library)
    {
        CreateDecompress = (delegate* unmanaged<int, nint>)Export(library, "opj_create_decompress");
        DestroyCodec = (delegate* unmanaged<nint, void>)Export(library, "opj_destroy_codec");
        SetDefaultDecoderParameters = (delegate* unmanaged<byte*, void>)Export(library, "opj_set_default_decoder_parameters");
        SetupDecoder = (delegate* unmanaged<nint, byte*, int>)Export(library, "opj_setup_decoder");
        SetInfoHandler = (delegate* unmanaged<nint, nint, nint, int>)Export(library, "opj_set_info_handler");
        SetWarningHandler = (delegate* unmanaged<nint, nint, nint, int>)Export(library, "opj_set_warning_handler");
        SetErrorHandler = (delegate* unmanaged<nint, nint, nint, int>)Export(library, "opj_set_error_handler");
        StreamCreate = (delegate* unmanaged<nuint, int, nint>)Export(library, "opj_stream_create");
        StreamDestroy = (delegate* unmanaged<nint, void>)Export(library, "opj_stream_destroy");
        StreamSetReadFunction = (delegate* unmanaged<nint, nint, void>)Export(library, "opj_stream_set_read_function");
        StreamSetSkipFunction = (delegate* unmanaged<nint, nint, void>)Export(library, "opj_stream_set_skip_function");
        StreamSetSeekFunction = (delegate* unmanaged<nint, nint, void>)Export(library, "opj_stream_set_seek_function");
        StreamSetUserData = (delegate* unmanaged<nint, void*, nint, void>)Export(library, "opj_stream_set_user_data");
        StreamSetUserDataLength = (delegate* unmanaged<nint, ulong, void>)Export(library, "opj_stream_set_user_data_length");
        ReadHeader = (delegate* unmanaged<nint, nint, OpjImage**, int>)Export(library, "opj_read_header");
        Decode = (delegate* unmanaged<nint, nint, OpjImage*, int>)Export(library, "opj_decode");
        EndDecompress = (delegate* unmanaged<nint, nint, int>)Export(library, "opj_end_decompress");
        ImageDestroy = (delegate* unmanaged<OpjImage*, void>)Export(library, "opj_image_destroy");
    }

    /// <summary>The loaded library, or null when OpenJPEG is not installed.</summary>
    public static OpenJpegNative? Shared => SharedInstance.Value;

    public delegate* unmanaged<int, nint> CreateDecompress { get; }

    public delegate* unmanaged<nint, void> DestroyCodec { get; }

    public delegate* unmanaged<byte*, void> SetDefaultDecoderParameters { get; }

    public delegate* unmanaged<nint, byte*, int> SetupDecoder { get; }

    public delegate* unmanaged<nint, nint, nint, int> SetInfoHandler { get; }

    public delegate* unmanaged<nint, nint, nint, int> SetWarningHandler { get; }

    public delegate* unmanaged<nint, nint, nint, int> SetErrorHandler { get; }

    public delegate* unmanaged<nuint, int, nint> StreamCreate { get; }

    public delegate* unmanaged<nint, void> StreamDestroy { get; }

    public delegate* unmanaged<nint, nint, void> StreamSetReadFunction { get; }

    public delegate* unmanaged<nint, nint, void> StreamSetSkipFunction { get; }

    public delegate* unmanaged<nint, nint, void> StreamSetSeekFunction { get; }

    public delegate* unmanaged<nint, void*, nint, void> StreamSetUserData { get; }

    public delegate* unmanaged<nint, ulong, void> StreamSetUserDataLength { get; }

    public delegate* unmanaged<nint, nint, OpjImage**, int> ReadHeader { get; }

    public delegate* unmanaged<nint, nint, OpjImage*, int> Decode { get; }

    public delegate* unmanaged<nint, nint, int> EndDecompress { get; }

    public delegate* unmanaged<OpjImage*, void> ImageDestroy { get; }

    private static nint Export(nint library, string name)
        => NativeLibrary.TryGetExport(library, name, out var address)
            ? address
            : throw new ImageDecodeException(ImageDecodeError.DecoderUnavailable,
                $"The OpenJPEG library has no entry point {name}; OpenJPEG 2.3 or later is needed.");

    private static OpenJpegNative? Load()
    {
        string[] candidates = OperatingSystem.IsWindows() ? ["openjp2.dll"]
            : OperatingSystem.IsMacOS() ? ["libopenjp2.7.dylib", "libopenjp2.dylib"]
            : ["libopenjp2.so.7", "libopenjp2.so"];
        foreach (var candidate in candidates)
        {
            if (NativeLibrary.TryLoad(candidate, out var handle))
            {
                return new OpenJpegNative(handle);
            }
        }

        return null;
    }
}

/// <summary>opj_image_t (openjpeg.h); sequential layout matches C on every ABI.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct OpjImage
{
    public uint X0;
    public uint Y0;
    public uint X1;
    public uint Y1;
    public uint ComponentCount;
    public int ColorSpace;
    public OpjImageComponent* Components;
    public byte* IccProfile;
    public uint IccProfileLength;
}

/// <summary>opj_image_comp_t (openjpeg.h).</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct OpjImageComponent
{
    public uint Dx;
    public uint Dy;
    public uint Width;
    public uint Height;
    public uint X0;
    public uint Y0;
    public uint Precision;
    public uint ObsoleteBitsPerPixel;
    public uint Signed;
    public uint ResolutionsDecoded;
    public uint Factor;
    public int* Data;
    public ushort Alpha;
}
