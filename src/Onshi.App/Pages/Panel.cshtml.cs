using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Onshi.App.Core.Readers;
using Onshi.App.Hosting;

namespace Onshi.App.Pages;

/// <summary>The demo's reader panel: place or remove one of the demo cards.</summary>
public sealed class PanelModel(PanelAccessor accessor) : PageModel
{
    public ICardPanel? Panel { get; } = accessor.Panel;

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostPlaceAsync(string? file, CancellationToken ct)
    {
        if (Panel is not null && file is not null && Panel.Cards.Any(c => c.FileName == file))
        {
            await Panel.PlaceAsync(file, ct);
        }

        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostRemoveAsync(CancellationToken ct)
    {
        if (Panel is not null)
        {
            await Panel.RemoveAsync(ct);
        }

        return RedirectToPage();
    }
}
