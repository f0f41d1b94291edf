using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Onshi.App.Pages;

/// <summary>The app's Japanese error page: unhandled exceptions (500) and bare status codes re-executed here (404, 403, 400).</summary>
[Microsoft.AspNetCore.Mvc.IgnoreAntiforgeryToken]
public sealed class ErrorModel : PageModel
{
    public int Status { get; private set; } = 500;

    public string Heading => Status switch
    {
        404 => "画面が見つかりません",
        403 => "この画面は表示できません",
        400 => "要求を受け付けられませんでした",
        _ => "問題が発生しました",
    };

    public string Explanation => Status switch
    {
        404 => "指定された画面はありません。最初の画面に戻って操作してください。",
        403 => "この画面はこの端末では利用できません。",
        400 => "画面の有効期限が切れたか、要求の内容が正しくありません。最初の画面に戻って、もう一度操作してください。",
        _ => "処理を完了できませんでした。もう一度お試しください。続く場合はアプリを再起動してください。",
    };

    public void OnGet(int? code = null) => Status = code is >= 400 and < 600 ? code.Value : 500;

    public void OnPost(int? code = null) => OnGet(code);
}
