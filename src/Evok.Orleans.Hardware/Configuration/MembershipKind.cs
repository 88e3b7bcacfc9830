namespace Evok.Orleans.Hardware.Configuration;

public enum MembershipKind
{
    Redis,
}
