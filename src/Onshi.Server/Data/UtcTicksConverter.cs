using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Onshi.Server.Data;

/// <summary>
/// SQLite has no date-time type, and EF Core cannot compare or order DateTimeOffset values stored as text there.
/// Storing UTC ticks as an integer makes "expires before now" and "newest first" real SQL on SQLite, exactly as
/// timestamptz does on PostgreSQL. Values come back with offset zero; everything in Onshi is UTC until displayed.
/// </summary>
internal sealed class UtcTicksConverter() : ValueConverter<DateTimeOffset, long>(
    value => value.UtcTicks,
    ticks => new DateTimeOffset(ticks, TimeSpan.Zero));
