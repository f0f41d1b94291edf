using Microsoft.AspNetCore.Identity;

namespace Onshi.Server.Accounts;

/// <summary>
/// Password storage through ASP.NET Core Identity's PasswordHasher (shared framework, maintained by Microsoft):
/// PBKDF2-HMAC-SHA512 with a per-password random salt, in a self-describing versioned format, so the iteration count
/// can be raised later and old hashes are upgraded at the next successful login.
/// </summary>
public sealed class PasswordHashing(IPasswordHasher<Account> hasher)
{
    /// <summary>OWASP Password Storage Cheat Sheet (2023) figure for PBKDF2-HMAC-SHA512.</summary>
    public const int Iterations = 210_000;

    // Verified against when the user does not exist, so an unknown user ID costs as much time as a wrong password.
    private static readonly Lazy<string> DummyHash = new(() =>
        new PasswordHasher<Account>(Microsoft.Extensions.Options.Options.Create(new PasswordHasherOptions { IterationCount = Iterations }))
            .HashPassword(null!, "onshi-timing-equaliser-not-a-real-password"));

    public string Hash(Account account, string password) => hasher.HashPassword(account, PasswordText.Normalize(password));

    public PasswordCheck Verify(Account account, string password)
    {
        var result = hasher.VerifyHashedPassword(account, account.PasswordHash, PasswordText.Normalize(password));
        return result switch
        {
            PasswordVerificationResult.Success => PasswordCheck.Correct,
            PasswordVerificationResult.SuccessRehashNeeded => PasswordCheck.CorrectButRehash,
            _ => PasswordCheck.Wrong,
        };
    }

    public void SpendTimeAsIfVerifying(string password) =>
        hasher.VerifyHashedPassword(null!, DummyHash.Value, PasswordText.Normalize(password));
}

public enum PasswordCheck
{
    Wrong,
    Correct,
    CorrectButRehash,
}

/// <summary>NIST SP 800-63B asks for Unicode normalisation before hashing so the same password typed on two keyboards matches.</summary>
public static class PasswordText
{
    public static string Normalize(string password) => password.Normalize(System.Text.NormalizationForm.FormKC);
}
