using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Onshi.Core.Tests.BuildSettings;

/// <summary>
/// Directory.Build.props turns NuGet's vulnerability audit on (all packages, every severity) and warnings into errors,
/// so a restore that pulls a known-vulnerable package must fail. The registry mirror used here serves no vulnerability
/// data, so this test plays the audit source itself: a NuGet V3 service index with a VulnerabilityInfo/6.7.0 resource
/// on 127.0.0.1, whose single page marks a package we really reference (Otp.NET 1.4.1) as vulnerable — or lists
/// nothing. A throwaway project importing our Directory.Build.props is restored against it, offline: the package comes
/// from the global packages folder and the only package source is an empty folder.
/// </summary>
public sealed class NuGetAuditTests
{
    private const string PackageId = "Otp.NET";
    private const string PackageVersion = "1.4.1";

    [Fact]
    public async Task RestoreFailsWhenTheAuditSourceMarksAReferencedPackageVulnerable()
    {
        var page = $$"""{"{{PackageId.ToLowerInvariant()}}":[{"url":"https://onshi.invalid/advisories/test-only","severity":2,"versions":"[1.0.0, 99.0.0)"}]}""";
        var (exitCode, output, requests) = await RestoreAgainstAuditSourceAsync(page);

        Assert.NotEqual(0, exitCode);
        Assert.Contains("error NU1903", output, StringComparison.Ordinal);
        Assert.Contains(PackageId, output, StringComparison.Ordinal);
        Assert.Contains("https://onshi.invalid/advisories/test-only", output, StringComparison.Ordinal);
        Assert.Contains("/vulnerabilities/page.json", requests);
    }

    [Fact]
    public async Task RestoreSucceedsWhenTheAuditSourceListsNothing()
    {
        var (exitCode, output, requests) = await RestoreAgainstAuditSourceAsync("{}");

        Assert.True(exitCode == 0, output);
        Assert.DoesNotContain("NU190", output, StringComparison.Ordinal);
        // The audit did consult the source: a pass is not just an audit that never ran.
        Assert.Contains("/v3/index.json", requests);
        Assert.Contains("/vulnerabilities/page.json", requests);
    }

    private static async Task<(int ExitCode, string Output, IReadOnlyCollection<string> Requests)> RestoreAgainstAuditSourceAsync(string page)
    {
        var dotnet = FindDotnet();
        if (dotnet is null)
        {
            Onshi.Tests.MissingService.Skip("The dotnet host was not found (DOTNET_HOST_PATH, DOTNET_ROOT, PATH): cannot run a restore.");
        }

        var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        Assert.True(
            File.Exists(Path.Combine(packages, PackageId.ToLowerInvariant(), PackageVersion, PackageId.ToLowerInvariant() + ".nuspec")),
            $"{PackageId} {PackageVersion} must be in the global packages folder ({packages}); a build of the repository puts it there.");

        var work = Directory.CreateTempSubdirectory("onshi-nuget-audit-");
        try
        {
            using var server = new AuditSource(page);
            var emptySource = Directory.CreateDirectory(Path.Combine(work.FullName, "empty-source")).FullName;
            var config = Path.Combine(work.FullName, "nuget.config");
            await File.WriteAllTextAsync(config, $"""
                <?xml version="1.0" encoding="utf-8"?>
                <configuration>
                  <packageSources>
                    <clear />
                    <add key="empty" value="{emptySource}" />
                  </packageSources>
                  <auditSources>
                    <clear />
                    <add key="onshi-test-audit" value="{server.IndexUrl}" allowInsecureConnections="true" />
                  </auditSources>
                </configuration>
                """, TestContext.Current.CancellationToken);
            var project = Path.Combine(work.FullName, "AuditProbe.csproj");
            await File.WriteAllTextAsync(project, $"""
                <Project Sdk="Microsoft.NET.Sdk">
                  <!-- The repository's own settings: NuGetAudit, NuGetAuditMode, NuGetAuditLevel, TreatWarningsAsErrors. -->
                  <Import Project="{RepositoryFile("Directory.Build.props")}" />
                  <ItemGroup>
                    <PackageReference Include="{PackageId}" Version="{PackageVersion}" />
                  </ItemGroup>
                </Project>
                """, TestContext.Current.CancellationToken);

            var start = new ProcessStartInfo(dotnet)
            {
                WorkingDirectory = work.FullName,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var argument in new[] { "restore", project, "--configfile", config, "--source", emptySource, "--no-http-cache", "--disable-build-servers", "-nologo" })
            {
                start.ArgumentList.Add(argument);
            }

            start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
            start.Environment["DOTNET_NOLOGO"] = "1";
            start.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
            // The test host's MSBuild variables would otherwise leak into the child build.
            start.Environment.Remove("MSBuildExtensionsPath");
            start.Environment.Remove("MSBuildSDKsPath");
            start.Environment.Remove("MSBUILD_EXE_PATH");

            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
            var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
            timeout.CancelAfter(TimeSpan.FromMinutes(3));
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw;
            }

            return (process.ExitCode, await stdout + await stderr, server.Requests);
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    private static string? FindDotnet()
    {
        var candidates = new List<string?> { Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") };
        if (Environment.GetEnvironmentVariable("DOTNET_ROOT") is { Length: > 0 } root)
        {
            candidates.Add(Path.Combine(root, "dotnet"));
        }

        candidates.AddRange((Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).Select(d => Path.Combine(d, "dotnet")));
        candidates.Add("/usr/share/dotnet/dotnet");
        candidates.Add("/usr/lib/dotnet/dotnet");
        return candidates.FirstOrDefault(c => !string.IsNullOrEmpty(c) && File.Exists(c));
    }

    private static string RepositoryFile(string name)
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, name)) && File.Exists(Path.Combine(directory.FullName, "Onshi.slnx")))
            {
                return Path.Combine(directory.FullName, name);
            }
        }

        throw new InvalidOperationException($"{name} of the repository was not found above {AppContext.BaseDirectory}.");
    }

    /// <summary>
    /// The three documents of a NuGet audit source (learn.microsoft.com/nuget/api/vulnerability-info): the service index
    /// naming the VulnerabilityInfo/6.7.0 resource, the vulnerability index listing pages, and one page (package id in
    /// lower case → advisories with url, severity 0–3 and a NuGet version range).
    /// </summary>
    private sealed class AuditSource : IDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly Task _serving;
        private readonly string _page;
        private readonly string _root;
        private readonly List<string> _requests = [];

        public AuditSource(string page)
        {
            _page = page;
            var port = FreePort();
            _root = string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}/");
            _listener.Prefixes.Add(_root);
            _listener.Start();
            _serving = Task.Run(ServeAsync);
        }

        public string IndexUrl => _root + "v3/index.json";

        public IReadOnlyCollection<string> Requests
        {
            get
            {
                lock (_requests)
                {
                    return [.. _requests];
                }
            }
        }

        private static int FreePort()
        {
            using var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            return ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        private async Task ServeAsync()
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
                {
                    return;
                }

                var path = context.Request.Url!.AbsolutePath;
                lock (_requests)
                {
                    _requests.Add(path);
                }

                var body = path switch
                {
                    "/v3/index.json" => $$"""{"version":"3.0.0","resources":[{"@id":"{{_root}}vulnerabilities/index.json","@type":"VulnerabilityInfo/6.7.0"}]}""",
                    "/vulnerabilities/index.json" => $$"""[{"@name":"base","@id":"{{_root}}vulnerabilities/page.json","@updated":"2026-01-01T00:00:00Z"}]""",
                    "/vulnerabilities/page.json" => _page,
                    _ => null,
                };
                context.Response.StatusCode = body is null ? 404 : 200;
                context.Response.ContentType = "application/json";
                var bytes = Encoding.UTF8.GetBytes(body ?? "");
                await context.Response.OutputStream.WriteAsync(bytes);
                context.Response.Close();
            }
        }

        public void Dispose()
        {
            _listener.Stop();
            _listener.Close();
            _serving.Wait(TimeSpan.FromSeconds(10));
        }
    }
}
