using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Evok.Orleans.Hardware.Configuration;

/// <summary>
/// How API tokens are made and recognised. A token is 32 random bytes (256 bits), so a plain SHA-256 of it is as
/// strong as a slow password hash would be and costs microseconds per request; config.yaml holds only that hash.
/// </summary>
public static class ApiTokens
{
    public const string Prefix = "evk_";

    /// <summary>A new token: <c>evk_</c> and 43 base64url characters (also valid in a WebSocket subprotocol name).</summary>
    public static string Create() => Prefix + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    /// <summary>The lowercase hex SHA-256 of a token's text, as <c>apis.auth[].token_sha256</c> holds it.</summary>
    public static string Sha256(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    /// <summary>The token whose hash matches, compared in constant time so the answer's timing says nothing of the hashes.</summary>
    public static ApiToken? Find(IEnumerable<ApiToken> tokens, string presented)
    {
        var hash = Encoding.ASCII.GetBytes(Sha256(presented));
        ApiToken? found = null;
        foreach (var token in tokens)
        {
            if (CryptographicOperations.FixedTimeEquals(hash, Encoding.ASCII.GetBytes(token.Sha256)))
            {
                found = token;
            }
        }

        return found;
    }
}
