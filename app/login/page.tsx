import type { Metadata } from "next";
import { authConfig } from "@/lib/auth/config";
import { safeNextPath } from "@/lib/auth/gate";
import { LOGIN_FAILURE_LIMIT } from "@/lib/auth/rate-limit";

export const metadata: Metadata = { title: "Sign in" };

const ERRORS: Record<string, string> = {
  invalid: "That token is not valid. Check it and try again.",
  throttled: `Too many failed attempts (${LOGIN_FAILURE_LIMIT}) from this address. Wait five minutes and try again.`,
};

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function LoginPage({ searchParams }: Props) {
  const params = await searchParams;
  const one = (v: string | string[] | undefined) => (typeof v === "string" ? v : undefined);
  const next = safeNextPath(one(params.next));
  const error = ERRORS[one(params.error) ?? ""];
  const mode = authConfig().mode;

  return (
    <div className="login">
      <h1>Sign in</h1>
      {mode === "token" ? (
        <form method="post" action="/api/auth/login" className="login-form">
          <p className="subtle">Paste the viewer or operator access token your administrator gave you.</p>
          {error ? (
            <p className="login-error" role="alert">
              {error}
            </p>
          ) : null}
          <input type="hidden" name="next" value={next} />
          <label className="field">
            <span>Access token</span>
            <input type="password" name="token" autoComplete="current-password" required autoFocus spellCheck={false} />
          </label>
          <button type="submit">Sign in</button>
        </form>
      ) : mode === "proxy" ? (
        <p role="alert">
          This dashboard signs you in through your organisation&apos;s single sign-on proxy, and this request did not carry an identity
          from it. Open the dashboard through the SSO address, or ask an administrator to check the proxy.
        </p>
      ) : (
        <p>
          Sign-in is off (AUTH_MODE=none): the dashboard only answers on this machine. <a href={next}>Continue</a>
        </p>
      )}
    </div>
  );
}
