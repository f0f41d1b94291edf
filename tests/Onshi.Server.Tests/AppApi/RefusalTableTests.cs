using System.Reflection;
using Onshi.Server.AppApi;
using Onshi.Server.AppSessions;
using Onshi.Server.Challenges;
using Onshi.Server.Common;
using Onshi.Server.Confirmations;
using Onshi.Server.Devices;
using Onshi.Server.Receipt;

namespace Onshi.Server.Tests.AppApi;

// Operations refuse without HTTP statuses; the edges assign them by table. A refusal missing from its table would be an
// exception at the moment it is first given, so these check every catalogue entry up front.
public sealed class RefusalTableTests
{
    [Fact]
    public void EveryRefusalOfTheAppCataloguesHasAnHttpStatus()
    {
        var refusals = new[] { typeof(DeviceRefusals), typeof(AppSessionRefusals), typeof(ChallengeRefusals), typeof(ConfirmationRefusals) }
            .SelectMany(Catalogue)
            .Append(Refusals.AppRequestInvalid)
            .ToList();
        Assert.NotEmpty(refusals);
        Assert.All(refusals, r => Assert.InRange(AppRefusalStatuses.Of(r), 400, 599));
    }

    [Fact]
    public void EveryRefusalOfTheReceiptApiHasAWireCodeAndAStatus()
    {
        var api = Catalogue(typeof(ReceiptRefusals)).Where(r => r.Code.StartsWith("receipt.", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(api);
        Assert.All(api, r => Assert.Matches("^ONSR[0-9]{4}$", ReceiptWire.Of(r).WireCode));
    }

    private static IEnumerable<Refusal> Catalogue(Type type) =>
        type.GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.FieldType == typeof(Refusal)).Select(f => (Refusal)f.GetValue(null)!);
}
