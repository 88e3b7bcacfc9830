namespace Evok.Orleans.Benchmarks;

/// <summary>How an Orleans client app of the benchmark follows the silo's changes.</summary>
internal enum ClientFeed
{
    /// <summary><c>EvokClient.WatchAsync</c>: a grain observer the device subscriber grains push to.</summary>
    Watch,

    /// <summary><c>EvokClient.ChangeStream</c>: Orleans' memory stream of the controller (<c>apis.orleans_stream</c>).</summary>
    Stream,
}
