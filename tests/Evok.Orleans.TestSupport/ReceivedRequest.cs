namespace Evok.Orleans.TestSupport;

/// <summary>
/// One HTTP request as the receiver saw it, and the status it answered; <see cref="ReceivedAt"/> is a
/// <c>Stopwatch</c> timestamp.
/// </summary>
public sealed record ReceivedRequest(
    string Method,
    string PathAndQuery,
    string? ContentType,
    string Body,
    IReadOnlyDictionary<string, string> Headers,
    long ReceivedAt,
    int Status);
