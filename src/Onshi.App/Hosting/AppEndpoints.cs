using Onshi.App.Core.Flow;

namespace Onshi.App.Hosting;

/// <summary>The small JSON and image endpoints the pages use: live status and the card-face images.</summary>
public static class AppEndpoints
{
    public static void MapAppEndpoints(this IEndpointRouteBuilder app)
    {
        // Polled by app.js once a second: reader/card presence, and the flow version so a page reloads after an idle logout.
        app.MapGet("/status", async (AppFlow flow, CancellationToken ct) =>
        {
            await flow.CheckIdleAsync(ct).ConfigureAwait(false);
            var reader = flow.Reader.Current;
            return TypedResults.Json(new
            {
                flowVersion = flow.Version,
                step = flow.Step.ToString(),
                readerConnected = reader.ReaderConnected,
                cardPresent = reader.CardPresent,
                readerText = reader.Describe(),
            });
        });

        app.MapGet("/patient/{image}.png", (string image, AppFlow flow) =>
        {
            var face = flow.Attempt?.Face;
            var bytes = image switch
            {
                "photo" => face?.PhotoPng,
                "name" => face?.NamePng,
                "address" => face?.AddressPng,
                _ => null,
            };
            return bytes is null ? Results.NotFound() : Results.File(bytes, "image/png");
        });
    }
}
