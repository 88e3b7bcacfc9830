namespace Evok.Orleans.Api.Rpc;

/// <summary>A JSON-RPC 2.0 error: the code the specification gives it and a message for the caller.</summary>
internal sealed class JsonRpcException(int code, string message) : Exception(message)
{
    public const int ParseError = -32700;
    public const int InvalidRequest = -32600;
    public const int MethodNotFound = -32601;
    public const int InvalidParams = -32602;
    public const int InternalError = -32603;

    /// <summary>The first of the range the specification leaves to servers: the bus did not take a valid write.</summary>
    public const int ServerError = -32000;

    /// <summary>Refused for the caller's token (a read token calling a method that writes).</summary>
    public const int Forbidden = -32001;

    public int Code { get; } = code;
}
