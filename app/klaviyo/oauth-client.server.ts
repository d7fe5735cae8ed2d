export interface OAuthClientOptions {
  apiUrl: string;
  clientId: string;
  clientSecret: string;
  timeoutMs?: number;
}

export interface TokenSet {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
  scope: string;
}

export type TokenOutcome =
  { ok: true; tokens: TokenSet } | { ok: false; error: string; description: string; status: number };

/** Klaviyo's OAuth endpoints (token, revoke) live under the API host, with HTTP Basic client auth. */
export class KlaviyoOAuthClient {
  constructor(private readonly options: OAuthClientOptions) {}

  exchangeCode(code: string, codeVerifier: string, redirectUri: string) {
    return this.token({
      grant_type: "authorization_code",
      code,
      code_verifier: codeVerifier,
      redirect_uri: redirectUri,
    });
  }

  refresh(refreshToken: string) {
    return this.token({ grant_type: "refresh_token", refresh_token: refreshToken });
  }

  async revoke(refreshToken: string): Promise<{ ok: boolean; detail: string }> {
    const response = await this.post("/oauth/revoke", { token: refreshToken, token_type_hint: "refresh_token" });
    if ("networkError" in response) return { ok: false, detail: response.networkError };
    return { ok: response.status < 300, detail: `HTTP ${response.status}` };
  }

  private async token(form: Record<string, string>): Promise<TokenOutcome> {
    const response = await this.post("/oauth/token", form);
    if ("networkError" in response)
      return { ok: false, error: "network", description: response.networkError, status: 0 };
    const body = (await response.json().catch(() => ({}))) as Record<string, unknown>;
    if (!response.ok || typeof body.access_token !== "string") {
      return {
        ok: false,
        error: typeof body.error === "string" ? body.error : `http_${response.status}`,
        description: String(body.error_description ?? body.error ?? `HTTP ${response.status}`),
        status: response.status,
      };
    }
    return {
      ok: true,
      tokens: {
        accessToken: body.access_token,
        refreshToken: body.refresh_token as string,
        expiresIn: Number(body.expires_in ?? 3600),
        scope: String(body.scope ?? ""),
      },
    };
  }

  private async post(path: string, form: Record<string, string>): Promise<Response | { networkError: string }> {
    const { apiUrl, clientId, clientSecret, timeoutMs = 10_000 } = this.options;
    try {
      return await fetch(new URL(path, apiUrl), {
        method: "POST",
        headers: {
          "Content-Type": "application/x-www-form-urlencoded",
          Authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString("base64")}`,
        },
        body: new URLSearchParams(form),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      return { networkError: String(error) };
    }
  }
}
