namespace Onshi.OqsXml.Errors;

/// <summary>
/// Every way a 連携 file can be refused. The numbers are stable (they become the wire code <c>ONSX####</c>);
/// add new members, never renumber. 0xxx are structural and fail the whole file (SegmentOfResult 9); 1xxx are
/// field rules that fail one person's row (ProcessingResultStatus 2), or the file when the field is in the header;
/// 3xxx are notes about what we wrote; 4xxx are the writer refusing a model (a bug in the caller, never written).
/// </summary>
public enum OqsErrorCode
{
    FileNameInvalid = 1,
    FileNamePathTraversal = 2,
    FileTooLarge = 3,
    EncodingUnsupported = 4,
    EncodingInvalidBytes = 5,
    MalformedXml = 10,
    DtdProhibited = 11,
    WrongRootElement = 12,
    UnknownElement = 13,
    DuplicateElement = 14,
    ElementOutOfOrder = 15,
    UnexpectedContent = 16,
    UnexpectedAttribute = 17,
    TooManyRows = 18,
    NoRows = 19,
    SearchConditionInvalid = 21,

    MissingElement = 101,
    FieldTooLong = 102,
    FieldFormatInvalid = 103,
    FieldInvalidDate = 104,
    FieldInvalidCode = 105,
    MedicalInstitutionCodeInvalid = 106,
    InsurerNumberInvalid = 107,
    FieldInvalidCharacters = 108,

    CharacterSubstituted = 301,

    /// <summary>The model carries a value the layout has no element for: writing it would silently drop data.</summary>
    FieldNotInLayout = 401,
}
