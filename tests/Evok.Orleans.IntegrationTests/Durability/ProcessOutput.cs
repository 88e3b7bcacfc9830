using System.Diagnostics;
using System.Text;

namespace Evok.Orleans.IntegrationTests.Durability;

/// <summary>What a started program prints on standard output and error, kept for assertions and failure messages.</summary>
internal sealed class ProcessOutput
{
    private readonly StringBuilder _text = new();

    /// <summary>Reads <paramref name="process"/>'s output (started with both redirected) from now on.</summary>
    public void Follow(Process process)
    {
        process.OutputDataReceived += (_, line) => Append(line.Data);
        process.ErrorDataReceived += (_, line) => Append(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public override string ToString()
    {
        lock (_text)
        {
            return _text.ToString();
        }
    }

    private void Append(string? line)
    {
        lock (_text)
        {
            _text.AppendLine(line);
        }
    }
}
