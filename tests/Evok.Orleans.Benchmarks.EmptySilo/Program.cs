using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Hosting;

// Usage: empty-silo API_PORT SILO_PORT GATEWAY_PORT
// The product silo's host set-up (slim web host, one local silo, warnings-only logging from the systemd unit's
// environment) without a grain, device or endpoint of ours; GET /status answers once the silo is up.
var ports = args.Select(arg => int.Parse(arg, CultureInfo.InvariantCulture)).ToArray();
var builder = WebApplication.CreateSlimBuilder();
builder.UseOrleans(silo => silo.UseLocalhostClustering(siloPort: ports[1], gatewayPort: ports[2]));
builder.WebHost.UseUrls($"http://127.0.0.1:{ports[0]}");
await using var app = builder.Build();
app.MapGet("/status", () => "up");
await app.RunAsync();
