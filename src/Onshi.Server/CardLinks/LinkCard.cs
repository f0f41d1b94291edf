using Microsoft.EntityFrameworkCore;
using Onshi.Server.Common;
using Onshi.Server.Data;

namespace Onshi.Server.CardLinks;

/// <summary>
/// 健康保険証利用登録 of one card: links a person to a certificate's linkage key. A person's earlier link is
/// replaced (kept as history), so their old card stops identifying them at once. Refused: unknown person, a
/// certificate that is the current link of somebody else, and a certificate that was replaced before (re-linking
/// an old card would bring a superseded card back).
/// </summary>
public sealed class LinkCard(AppDbContext db, TimeProvider time)
{
    public async Task<OperationResult<CardLink>> ExecuteAsync(long personId, string linkageKey, DateTimeOffset certificateNotAfter, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(linkageKey);
        if (!await db.InsuredPersons.AnyAsync(p => p.Id == personId, cancellationToken).ConfigureAwait(false))
        {
            return OperationResult<CardLink>.Fail(new Refusal("card_link.person_unknown", "指定された被保険者が見つかりません。"));
        }

        var existing = await db.CardLinks.Where(l => l.LinkageKey == linkageKey).ToListAsync(cancellationToken).ConfigureAwait(false);
        var current = existing.FirstOrDefault(l => l.ReplacedAt is null);
        if (current is not null && current.PersonId == personId)
        {
            return OperationResult<CardLink>.Ok(current);
        }

        if (current is not null)
        {
            return OperationResult<CardLink>.Fail(new Refusal("card_link.linked_to_other_person", "この電子証明書は別の方の健康保険証利用登録に使われています。"));
        }

        if (existing.Count > 0)
        {
            return OperationResult<CardLink>.Fail(new Refusal("card_link.superseded", "この電子証明書は新しいカードに置き換えられています。新しいカードで登録してください。"));
        }

        var now = time.GetUtcNow();
        var strategy = db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await db.CardLinks.Where(l => l.PersonId == personId && l.ReplacedAt == null)
                .ExecuteUpdateAsync(s => s.SetProperty(l => l.ReplacedAt, now), cancellationToken).ConfigureAwait(false);
            var link = new CardLink { PersonId = personId, LinkageKey = linkageKey, CertificateNotAfter = certificateNotAfter, LinkedAt = now };
            db.CardLinks.Add(link);
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return OperationResult<CardLink>.Ok(link);
        }).ConfigureAwait(false);
    }
}
