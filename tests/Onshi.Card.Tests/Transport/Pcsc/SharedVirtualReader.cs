namespace Onshi.Card.Tests.Transport.Pcsc;

/// <summary>
/// Tests that drive the one virtual reader of the real pcscd: they must take turns, and nothing else may run
/// alongside them (another test inserting a card into the same slot would change what they see).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SharedVirtualReader
{
    public const string Name = "Real pcscd with the vpcd virtual reader";
}
