using Onshi.Server.Accounts;
using Onshi.Server.Common;

namespace Onshi.Server.Portal.Accounts;

internal static class AccountState
{
    /// <summary>How the account stands today, in the words shown to the administrator.</summary>
    public static string Describe(Account account, TimeProvider time)
    {
        var states = new List<string>();
        if (account.StoppedAt is not null)
        {
            states.Add("利用停止");
        }

        if (account.IsLocked(time.GetUtcNow()))
        {
            states.Add("ロック中");
        }

        if (!account.IsWithinPeriod(JapanTime.Today(time)))
        {
            states.Add("利用期間外");
        }

        if (!account.HasCompletedFirstLogin)
        {
            states.Add("初回ログイン未完了");
        }

        return states.Count == 0 ? "利用中" : string.Join("・", states);
    }
}
