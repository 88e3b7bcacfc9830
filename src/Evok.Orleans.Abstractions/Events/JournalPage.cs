using System.Collections.Immutable;

namespace Evok.Orleans.Abstractions.Events;

/// <summary>
/// One read of a controller's change journal after a number: the changes the mask keeps, oldest first, and the
/// number the read reaches (<see cref="Through"/>: ask after it next; changes the mask left out are passed too).
/// <see cref="Gap"/> says the changes right after the number asked have left the journal (kept longer than
/// <c>journal_days</c>/<c>journal_changes</c>), or the number is from a journal that is no more: what lies between is
/// gone, and a reader that needs the present state reads it (<c>EvokDevices.ListAsync</c>).
/// </summary>
[GenerateSerializer, Immutable, Alias("evok.JournalPage")]
public sealed record JournalPage(
    [property: Id(0)] ImmutableArray<JournalEntry> Entries,
    [property: Id(1)] long Through,
    [property: Id(2)] bool Gap);
