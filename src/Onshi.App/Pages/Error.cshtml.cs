using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Onshi.App.Pages;

public sealed class ErrorModel : PageModel
{
}
