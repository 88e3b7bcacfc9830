namespace Evok.Orleans.Hardware.Definitions;

public enum RegisterBlockKind
{
    /// <summary>Read with FC 3.</summary>
    Holding,

    /// <summary>Read with FC 4.</summary>
    Input,
}
