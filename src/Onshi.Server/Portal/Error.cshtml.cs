using System.Diagnostics;
using Microsoft.AspNetCore.Authorization;

namespace Onshi.Server.Portal;

/// <summary>The portal's Japanese error page: unhandled exceptions (500) and bare status codes re-executed here (404, 403, 400).</summary>
[AllowAnonymous]
[Microsoft.AspNetCore.Mvc.IgnoreAntiforgeryToken]
public sealed class ErrorModel : PortalPageModel
{
    public string RequestId { get; private set; } = "";

    public int Status { get; private set; } = 500;

    public string Heading => Status switch
    {
        404 => "ページが見つかりません",
        403 => "この画面は表示できません",
        400 => "要求を受け付けられませんでした",
        _ => "エラーが発生しました",
    };

    public string Explanation => Status switch
    {
        404 => "指定されたページ又はデータは存在しないか、この医療機関のものではありません。メニューからやり直してください。",
        403 => "このアカウントの権限区分では、この画面を利用できません。必要な場合は管理者に確認してください。",
        400 => "画面の有効期限が切れたか、要求の内容が正しくありません。画面を開き直してから、もう一度操作してください。",
        _ => "処理中にエラーが発生しました。時間をおいて再度操作してください。解決しない場合はシステム管理者に連絡してください。",
    };

    public void OnGet(int? code = null)
    {
        RequestId = Activity.Current?.Id ?? HttpContext.TraceIdentifier;
        Status = code is >= 400 and < 600 ? code.Value : 500;
    }

    public void OnPost(int? code = null) => OnGet(code);
}
