using Onshi.Card.Transport;

namespace Onshi.App.Core.Readers;

/// <summary>What the screen shows about the reader: is there one, is a card on it, and if not why.</summary>
/// <param name="ReaderConnected">A reader is there (a simulated reader always is).</param>
/// <param name="ReaderName">The reader in use, or null.</param>
/// <param name="CardPresent">A card that answered its reset is on the reader.</param>
/// <param name="Problem">A Japanese sentence when the reader cannot be used, else null.</param>
public sealed record ReaderState(bool ReaderConnected, string? ReaderName, bool CardPresent, string? Problem)
{
    public static ReaderState Starting { get; } = new(false, null, false, "カードリーダーを確認しています…");

    /// <summary>The one-line status for staff and patients.</summary>
    public string Describe() =>
        Problem ?? (!ReaderConnected ? "カードリーダーが接続されていません。" : CardPresent ? "カードを読み取れます。" : "カードが置かれていません。");
}

/// <summary>
/// A card reader as the flow needs it: live presence and a connection to the card on it. Implemented over PC/SC
/// (<see cref="PcscCardReader"/>) and in memory (<see cref="SimulatedCardReader"/>, the demo's reader panel).
/// </summary>
public interface ICardReader : IAsyncDisposable
{
    /// <summary>"pcsc" or "simulated".</summary>
    string Kind { get; }

    /// <summary>The latest known state; cheap, never blocks.</summary>
    ReaderState Current { get; }

    /// <summary>Incremented on every change of <see cref="Current"/>, so pollers can tell a change cheaply.</summary>
    long Version { get; }

    /// <summary>Every reader the system knows now.</summary>
    IReadOnlyList<string> ListReaders();

    /// <summary>Starts watching presence in the background.</summary>
    void Start();

    /// <summary>Connects to the card on the reader.</summary>
    /// <exception cref="CardTransportException">No reader, no card, or the card cannot be reached.</exception>
    ICardTransport Connect();
}

/// <summary>
/// The demo's reader panel: a person "places" one of the demo cards or "removes" it. Implemented in memory
/// (the simulated reader itself) and through vpcd (then the app reads the card over its real PC/SC path).
/// </summary>
public interface ICardPanel
{
    /// <summary>The card image files offered (file names, without folder).</summary>
    IReadOnlyList<DemoCard> Cards { get; }

    /// <summary>The file name of the card on the reader, or null.</summary>
    string? PlacedCard { get; }

    Task PlaceAsync(string fileName, CancellationToken cancellationToken);

    Task RemoveAsync(CancellationToken cancellationToken);
}

/// <summary>One demo card file and what the panel shows about it.</summary>
public sealed record DemoCard(string FileName, string Name, string Description);
