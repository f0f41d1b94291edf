using System.Globalization;

namespace Onshi.OqsXml.Errors;

/// <summary>
/// Our own error-code catalogue for the folder interface. The real 別紙6-1「処理結果コード」 is not public, so
/// these codes are Onshi's (prefix <c>ONSX</c>) and a レセコン must treat them as opaque, showing the message as-is
/// — which is also what the real specification asks of ProcessingResultMessage/ErrorMessage.
/// </summary>
public static class OqsErrorCatalogue
{
    private static readonly Dictionary<OqsErrorCode, (string Machine, string Message)> Entries = new()
    {
        [OqsErrorCode.FileNameInvalid] = ("oqs.file_name_invalid", "ファイル名が連携ファイルの命名規則（例: OQSsiquc01req_任意.xml）に合っていません。"),
        [OqsErrorCode.FileNamePathTraversal] = ("oqs.file_name_path_traversal", "ファイル名にフォルダの区切りや「..」を含めることはできません。"),
        [OqsErrorCode.FileTooLarge] = ("oqs.file_too_large", "ファイルの大きさが上限を超えています。"),
        [OqsErrorCode.EncodingUnsupported] = ("oqs.encoding_unsupported", "文字コードは UTF-8 または Shift_JIS のみ使用できます。"),
        [OqsErrorCode.EncodingInvalidBytes] = ("oqs.encoding_invalid_bytes", "宣言された文字コードとして読めないバイト列が含まれています。"),
        [OqsErrorCode.MalformedXml] = ("oqs.malformed_xml", "XMLの形式が正しくありません。"),
        [OqsErrorCode.DtdProhibited] = ("oqs.dtd_prohibited", "DTD（DOCTYPE宣言）や外部実体を含むファイルは受け付けられません。"),
        [OqsErrorCode.WrongRootElement] = ("oqs.wrong_root_element", "ルート要素は XmlMsg でなければなりません。"),
        [OqsErrorCode.UnknownElement] = ("oqs.unknown_element", "この要求では定義されていない要素が含まれています。"),
        [OqsErrorCode.DuplicateElement] = ("oqs.duplicate_element", "同じ要素が重複しています。"),
        [OqsErrorCode.ElementOutOfOrder] = ("oqs.element_out_of_order", "要素の順序がレイアウトと異なります。"),
        [OqsErrorCode.UnexpectedContent] = ("oqs.unexpected_content", "要素の中に想定外の内容（文字列や子要素）があります。"),
        [OqsErrorCode.UnexpectedAttribute] = ("oqs.unexpected_attribute", "要素に属性を指定することはできません。"),
        [OqsErrorCode.TooManyRows] = ("oqs.too_many_rows", "一括要求の件数が上限を超えています。"),
        [OqsErrorCode.NoRows] = ("oqs.no_rows", "一括要求に照会対象が1件もありません。"),
        [OqsErrorCode.SearchConditionInvalid] = ("oqs.search_condition_invalid", "検索条件の指定に誤りがあります。"),
        [OqsErrorCode.MissingElement] = ("oqs.missing_element", "必須項目が設定されていません。"),
        [OqsErrorCode.FieldTooLong] = ("oqs.field_too_long", "項目の桁数が上限を超えています。"),
        [OqsErrorCode.FieldFormatInvalid] = ("oqs.field_format_invalid", "項目の形式が正しくありません。"),
        [OqsErrorCode.FieldInvalidDate] = ("oqs.field_invalid_date", "日付が正しくありません。"),
        [OqsErrorCode.FieldInvalidCode] = ("oqs.field_invalid_code", "コード値が定義されていません。"),
        [OqsErrorCode.MedicalInstitutionCodeInvalid] = ("oqs.medical_institution_code_invalid", "医療機関コードが正しくありません。"),
        [OqsErrorCode.InsurerNumberInvalid] = ("oqs.insurer_number_invalid", "保険者番号が正しくありません。"),
        [OqsErrorCode.FieldInvalidCharacters] = ("oqs.field_invalid_characters", "項目に使用できない文字（制御文字など）が含まれています。"),
        [OqsErrorCode.CharacterSubstituted] = ("oqs.character_substituted", "Shift_JIS で表せない文字を〓に置き換えました。"),
        [OqsErrorCode.FieldNotInLayout] = ("oqs.field_not_in_layout", "この応答のレイアウトに置き場所のない項目が設定されています（書き出すと値が失われるため書き出しません）。"),
    };

    /// <summary>All codes with their wire code, machine code and default message, in code order (for docs).</summary>
    public static IReadOnlyList<(OqsErrorCode Code, string WireCode, string MachineCode, string Message)> All { get; } =
        [.. Entries.OrderBy(e => (int)e.Key).Select(e => (e.Key, WireCodeOf(e.Key), e.Value.Machine, e.Value.Message))];

    public static string WireCodeOf(OqsErrorCode code) => string.Create(CultureInfo.InvariantCulture, $"ONSX{(int)code:D4}");

    public static string MachineCodeOf(OqsErrorCode code) => Entries.TryGetValue(code, out var e) ? e.Machine : "oqs.unknown";

    public static string DefaultMessageOf(OqsErrorCode code) => Entries.TryGetValue(code, out var e) ? e.Message : "処理できませんでした。";

    /// <summary>
    /// True for the structural codes (0xxx) that always fail the whole file. Field codes (1xxx) fail one row of a
    /// bulk body, but the whole file when the broken field is in the MessageHeader or in a single search condition.
    /// </summary>
    public static bool IsStructural(OqsErrorCode code) => (int)code < 100;

    /// <summary>An error with the default message.</summary>
    public static OqsError Create(OqsErrorCode code, string? elementPath = null) => new(code, DefaultMessageOf(code), elementPath);

    /// <summary>An error whose message names the element (項目名 and XML name) before the default sentence.</summary>
    public static OqsError ForElement(OqsErrorCode code, string japaneseName, string elementPath, string? detail = null)
    {
        var name = elementPath[(elementPath.LastIndexOf('/') + 1)..];
        return new OqsError(code, $"{japaneseName}（{name}）: {detail ?? DefaultMessageOf(code)}", elementPath);
    }
}
