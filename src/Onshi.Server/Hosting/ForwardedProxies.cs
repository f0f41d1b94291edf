using System.ComponentModel.DataAnnotations;
using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace Onshi.Server.Hosting;

/// <summary>
/// Configuration section "ForwardedHeaders" (docs/security.md, "Behind a TLS proxy"): the reverse proxies whose
/// X-Forwarded-For / X-Forwarded-Proto are believed. Default: none, not even loopback (ASP.NET Core's own default
/// trusts 127.0.0.1 and ::1, which would let any local process claim any client address).
/// </summary>
public sealed class ForwardedProxyOptions
{
    public const string Section = "ForwardedHeaders";

    /// <summary>Addresses of trusted proxies, e.g. "127.0.0.1" for nginx on the same machine.</summary>
    public List<string> KnownProxies { get; } = [];

    /// <summary>Networks of trusted proxies in CIDR form, e.g. "10.0.5.0/24".</summary>
    public List<string> KnownNetworks { get; } = [];

    /// <summary>How many proxies in a chain are taken off X-Forwarded-For (1: nginx directly in front).</summary>
    [Range(1, 10)]
    public int ForwardLimit { get; set; } = 1;
}

public static class ForwardedProxies
{
    public static IServiceCollection AddOnshiForwardedHeaders(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ForwardedProxyOptions>().Bind(configuration.GetSection(ForwardedProxyOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<ForwardedProxyOptions>>((forwarded, proxies) =>
        {
            forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            forwarded.ForwardLimit = proxies.Value.ForwardLimit;
            forwarded.KnownProxies.Clear();
            forwarded.KnownIPNetworks.Clear();
            foreach (var proxy in proxies.Value.KnownProxies)
            {
                forwarded.KnownProxies.Add(IPAddress.TryParse(proxy, out var address)
                    ? address
                    : throw new OptionsValidationException(ForwardedProxyOptions.Section, typeof(ForwardedProxyOptions), [$"ForwardedHeaders:KnownProxies: '{proxy}' is not an IP address."]));
            }

            foreach (var network in proxies.Value.KnownNetworks)
            {
                forwarded.KnownIPNetworks.Add(System.Net.IPNetwork.TryParse(network, out var parsed)
                    ? parsed
                    : throw new OptionsValidationException(ForwardedProxyOptions.Section, typeof(ForwardedProxyOptions), [$"ForwardedHeaders:KnownNetworks: '{network}' is not a CIDR network."]));
            }
        });
        return services;
    }
}
