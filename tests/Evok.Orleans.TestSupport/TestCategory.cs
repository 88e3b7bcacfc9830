namespace Evok.Orleans.TestSupport;

/// <summary>
/// The tiers of the suite, as <c>Category</c> traits: <c>dotnet test --filter Category=Unit</c> runs seconds of tests
/// with no socket; CI runs that tier first, so a broken unit fails in seconds, not after the slow tiers.
/// </summary>
public static class TestCategory
{
    /// <summary>The unit test project: no silo and no peer, seconds for all of it.</summary>
    public const string Unit = "Unit";

    /// <summary>A silo (or our simulator) started in the test, with nothing but our own code on the other side.</summary>
    public const string Integration = "Integration";

    /// <summary>An independent peer started from Debian: pymodbus, mbpoll, socat, owserver, mosquitto, Redis, openssl, qemu ...</summary>
    public const string Peers = "Peers";

    /// <summary>Several controllers of one site (silos in a cluster), with Redis or PostgreSQL membership.</summary>
    public const string Cluster = "Cluster";

    /// <summary>Headless Chromium through Playwright against a running silo (the browser test project).</summary>
    public const string Browser = "Browser";
}
