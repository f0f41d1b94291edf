using Onshi.OqsXml.Encodings;

namespace Onshi.OqsXml;

/// <summary>A character that Shift_JIS could not hold and was written as 〓 (U+3013).</summary>
/// <param name="ElementPath">e.g. <c>XmlMsg/MessageBody/ResultList/ResultOfQualificationConfirmation/Name</c>.</param>
/// <param name="Index">UTF-16 index of the character in the original value.</param>
/// <param name="Original">The character as it was (one Unicode scalar, possibly a surrogate pair).</param>
public sealed record CharacterSubstitution(string ElementPath, int Index, string Original);

/// <summary>The bytes of a written file, their encoding and every lossy substitution made while writing.</summary>
public sealed record OqsWrittenFile(ReadOnlyMemory<byte> Content, OqsCharacterEncoding Encoding, EquatableList<CharacterSubstitution> Substitutions)
{
    /// <summary>True when at least one character was replaced by 〓; callers should flag the response (code ONSX0301).</summary>
    public bool IsLossy => Substitutions.Count > 0;
}
