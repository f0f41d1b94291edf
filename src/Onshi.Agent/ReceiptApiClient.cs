using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Onshi.OqsXml;
using Onshi.OqsXml.Requests;
using Onshi.OqsXml.Responses;

namespace Onshi.Agent;

/// <summary>A refusal of the server: HTTP status, machine code, the wire code to write into a response file, the message.</summary>
public sealed record ApiProblem(HttpStatusCode Status, string Code, string WireCode, string Message);

/// <summary>Either a value or a refusal from the server. Transport failures are exceptions (the request is retried later).</summary>
public sealed record ApiOutcome<T>(T? Value, ApiProblem? Problem);

public sealed record BulkAccepted(string ReceptionNumber, string Kind, int RowCount, DateTimeOffset AcceptedAt);

public sealed record BulkResult(string ReceptionNumber, string Kind, string Status,
    IReadOnlyList<QualificationConfirmationResult>? QualificationResults, IReadOnlyList<ReferenceNumberRegistrationResult>? RegistrationResults);

public sealed record FeedEntry(long Cursor, Guid ConfirmationId, DateTimeOffset ConfirmedAt, string Purpose, string Method, QualificationConfirmationResult Result);

public sealed record FeedPage(string InstitutionCode, IReadOnlyList<FeedEntry> Entries, long NextCursor);

/// <summary>The agent's side of /api/receipt/v1 (docs/receipt.md), authenticated with HTTP Basic as a 連携アプリ用アカウント.</summary>
public sealed class ReceiptApiClient
{
    private const string Prefix = "api/receipt/v1/";

    private static readonly JsonSerializerOptions Json = CreateJsonOptions();

    private readonly HttpClient _http;

    public ReceiptApiClient(HttpClient http, string clientId, string secret)
    {
        ArgumentNullException.ThrowIfNull(http);
        _http = http;
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(clientId + ":" + secret)));
    }

    public static JsonSerializerOptions CreateJsonOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };
        options.Converters.Add(new EquatableListJsonConverter());
        return options;
    }

    public Task<ApiOutcome<QualificationConfirmationResult>> ConfirmAsync(OqsRequestHeader header, QualificationConfirmSearchInfo? searchInfo, CancellationToken cancellationToken) =>
        SendAsync<QualificationConfirmationResult>(HttpMethod.Post, "qualification-confirmations",
            new { header.MedicalInstitutionCode, header.QualificationConfirmationDate, SearchInfo = searchInfo }, null, cancellationToken);

    public Task<ApiOutcome<ReferenceNumberRegistrationResult>> RegisterAsync(OqsRequestHeader header, ReferenceNumberRegistrationInfo? info, CancellationToken cancellationToken) =>
        SendAsync<ReferenceNumberRegistrationResult>(HttpMethod.Post, "reference-numbers", new { header.MedicalInstitutionCode, RegistrationInfo = info }, null, cancellationToken);

    public Task<ApiOutcome<BulkAccepted>> AcceptBulkAsync(string kind, OqsRequest request, string idempotencyKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var body = new
        {
            Kind = kind,
            request.Header.MedicalInstitutionCode,
            request.Header.QualificationConfirmationDate,
            SearchInfos = (request as BulkQualificationConfirmationRequest)?.SearchInfos,
            RegistrationInfos = (request as BulkReferenceNumberRegistrationRequest)?.RegistrationInfos,
            Search = (request as ConsentedQualificationBulkRequest)?.Search,
            MedicalAssistanceSearch = (request as MedicalAssistanceBulkRequest)?.Search,
        };
        return SendAsync<BulkAccepted>(HttpMethod.Post, "bulk-requests", body, idempotencyKey, cancellationToken);
    }

    public Task<ApiOutcome<BulkResult>> GetBulkAsync(string receptionNumber, string kind, CancellationToken cancellationToken) =>
        SendAsync<BulkResult>(HttpMethod.Get, $"bulk-requests/{Uri.EscapeDataString(receptionNumber)}?kind={Uri.EscapeDataString(kind)}", null, null, cancellationToken);

    public Task<ApiOutcome<FeedPage>> FeedAsync(long after, int limit, CancellationToken cancellationToken) =>
        SendAsync<FeedPage>(HttpMethod.Get, string.Create(System.Globalization.CultureInfo.InvariantCulture, $"confirmations/feed?after={after}&limit={limit}"), null, null, cancellationToken);

    private async Task<ApiOutcome<T>> SendAsync<T>(HttpMethod method, string path, object? body, string? idempotencyKey, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, new Uri(Prefix + path, UriKind.Relative));
        if (body is not null)
        {
            request.Content = JsonContent.Create(body, options: Json);
        }

        if (idempotencyKey is not null)
        {
            request.Headers.TryAddWithoutValidation("Idempotency-Key", idempotencyKey);
        }

        using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.IsSuccessStatusCode)
        {
            var value = await response.Content.ReadFromJsonAsync<T>(Json, cancellationToken).ConfigureAwait(false);
            return new ApiOutcome<T>(value, null);
        }

        if ((int)response.StatusCode >= 500)
        {
            // Not the request's fault: leave it in req/ and try again later.
            throw new HttpRequestException($"The server answered {(int)response.StatusCode}.", null, response.StatusCode);
        }

        ProblemBody? problem = null;
        try
        {
            problem = await response.Content.ReadFromJsonAsync<ProblemBody>(Json, cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException)
        {
            // Not a problem document (e.g. a proxy's page): described below from the status alone.
        }

        return new ApiOutcome<T>(default, new ApiProblem(
            response.StatusCode,
            problem?.Code ?? "http." + (int)response.StatusCode,
            problem?.WireCode ?? "ONSR9" + ((int)response.StatusCode).ToString("000", System.Globalization.CultureInfo.InvariantCulture),
            problem?.Detail ?? "連携サーバが要求を受け付けませんでした。"));
    }

    private sealed record ProblemBody(string? Code, string? WireCode, string? Detail);
}
