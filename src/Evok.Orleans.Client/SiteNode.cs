namespace Evok.Orleans.Client;

/// <summary>A controller of the site as the membership knows it: its name, state and silo address.</summary>
/// <param name="Status">Orleans' silo status in lower case: <c>active</c>, <c>joining</c>, <c>shuttingdown</c>, <c>dead</c>, ...</param>
/// <param name="Address">The silo's address and port (other silos talk to it there).</param>
public sealed record SiteNode(string Name, string Status, string Address)
{
    public bool IsActive => Status == "active";
}
