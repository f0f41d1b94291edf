using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.DataProtection;
using OtpNet;

namespace Onshi.Server.TwoFactor;

/// <summary>
/// The TOTP secret's protection and the RFC 6238 arithmetic. Secrets are 160 random bits (RFC 4226 §4 recommends
/// 160), HMAC-SHA1, 6 digits, 30-second steps: the parameters every authenticator app understands. At rest they are
/// encrypted with a Data Protection purpose of their own, so a database copy alone does not give the secrets away.
/// </summary>
public sealed class TwoFactorSecrets(IDataProtectionProvider dataProtection, TimeProvider time)
{
    public const string SecretPurpose = "Onshi.TwoFactor.Secret.v1";
    public const string EnrolmentPurpose = "Onshi.TwoFactor.Enrolment.v1";
    public const int StepSeconds = 30;
    public const string Issuer = "Onshi";

    /// <summary>How long an enrolment page stays valid between showing the secret and confirming the first code.</summary>
    public static readonly TimeSpan EnrolmentLifetime = TimeSpan.FromMinutes(10);

    private readonly IDataProtector _secrets = dataProtection.CreateProtector(SecretPurpose);
    private readonly IDataProtector _enrolments = dataProtection.CreateProtector(EnrolmentPurpose);

    public static byte[] NewSecret() => KeyGeneration.GenerateRandomKey(20);

    public string Protect(byte[] secret) => _secrets.Protect(Base32Encoding.ToString(secret));

    /// <summary>The secret, or null when it cannot be decrypted (Data Protection keys lost or the value altered).</summary>
    public byte[]? Unprotect(string protectedSecret)
    {
        try
        {
            return Base32Encoding.ToBytes(_secrets.Unprotect(protectedSecret));
        }
        catch (CryptographicException)
        {
            return null;
        }
    }

    /// <summary>
    /// A token carrying a not-yet-confirmed secret through the enrolment form, bound to the account and to the time it
    /// was shown, so the secret is never stored before its first code proves the authenticator holds it.
    /// </summary>
    public string ProtectEnrolment(int accountId, byte[] secret) =>
        _enrolments.Protect(string.Join('|',
            accountId.ToString(CultureInfo.InvariantCulture),
            time.GetUtcNow().UtcTicks.ToString(CultureInfo.InvariantCulture),
            Base32Encoding.ToString(secret)));

    public byte[]? UnprotectEnrolment(int accountId, string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return null;
        }

        string text;
        try
        {
            text = _enrolments.Unprotect(token);
        }
        catch (CryptographicException)
        {
            return null;
        }

        var parts = text.Split('|');
        if (parts.Length != 3
            || parts[0] != accountId.ToString(CultureInfo.InvariantCulture)
            || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
            || time.GetUtcNow().UtcTicks - ticks > EnrolmentLifetime.Ticks)
        {
            return null;
        }

        return Base32Encoding.ToBytes(parts[2]);
    }

    /// <summary>
    /// Checks a 6-digit code against the current step and one step either side (clock drift of a phone), and returns the
    /// matched step, or null. Only digits are accepted; full-width digits are folded first.
    /// </summary>
    public long? MatchStep(byte[] secret, string code)
    {
        var digits = code.Normalize(NormalizationForm.FormKC).Replace(" ", "", StringComparison.Ordinal);
        if (digits.Length != 6 || !digits.All(char.IsAsciiDigit))
        {
            return null;
        }

        var totp = new Totp(secret, StepSeconds, OtpHashMode.Sha1, 6);
        return totp.VerifyTotp(time.GetUtcNow().UtcDateTime, digits, out var step, new VerificationWindow(previous: 1, future: 1)) ? step : null;
    }

    public static string Base32(byte[] secret) => Base32Encoding.ToString(secret);

    /// <summary>The otpauth:// URI an authenticator app imports (Key Uri Format: issuer, label 機関コード:ユーザID).</summary>
    public static string OtpAuthUri(byte[] secret, string institutionCode, string userId) =>
        new OtpUri(OtpType.Totp, Base32Encoding.ToString(secret), $"{institutionCode}:{userId}", Issuer, OtpHashMode.Sha1, 6, StepSeconds).ToString();
}
