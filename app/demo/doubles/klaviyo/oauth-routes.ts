import type { IncomingMessage, ServerResponse } from "node:http";
import type { DoubleState } from "./double-state";
import { newToken, s256 } from "./double-state";
import { escapeHtml, readBody, redirect, sendHtml, sendJson } from "../http-exchange";

const CODE_LIFETIME_MS = 10 * 60_000;
const VERIFIER = /^[a-zA-Z0-9\-._~]{43,128}$/;

/** GET /oauth/authorize: Klaviyo's consent page, listing the permissions with Allow and Deny. */
export function authorizePage(state: DoubleState, url: URL, response: ServerResponse) {
  const params = url.searchParams;
  const client = state.clients.find((candidate) => candidate.clientId === params.get("client_id"));
  const problems = [
    params.get("response_type") !== "code" && "response_type must be code",
    !client && "unknown client_id",
    !params.get("redirect_uri") && "redirect_uri is required",
    !params.get("state") && "state is required",
    params.get("code_challenge_method") !== "S256" && "code_challenge_method must be S256",
    !params.get("code_challenge") && "code_challenge is required",
  ].filter(Boolean);
  if (problems.length)
    return sendHtml(response, 400, `<h1>Invalid authorization request</h1><p>${escapeHtml(problems.join("; "))}</p>`);

  const account = state.accounts[0];
  const scopes = (params.get("scope") ?? "").split(" ").filter(Boolean);
  const hidden = [...params.entries()]
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
    .join("");
  sendHtml(
    response,
    200,
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Klaviyo (local double) — Authorize</title></head>
<body style="font-family:sans-serif;max-width:36rem;margin:3rem auto">
<h1>Allow Waypost to access ${escapeHtml(account.name)}?</h1>
<p>Waypost is asking for these permissions:</p>
<ul>${scopes.map((scope) => `<li>${escapeHtml(scope)}</li>`).join("")}</ul>
<form method="post" action="/oauth/authorize">${hidden}
<button name="decision" value="allow" type="submit">Allow</button>
<button name="decision" value="deny" type="submit">Deny</button>
</form></body></html>`,
  );
}

/** POST /oauth/authorize: the merchant's decision, sent back to the app's redirect URI. */
export async function authorizeDecision(state: DoubleState, request: IncomingMessage, response: ServerResponse) {
  const form = new URLSearchParams(await readBody(request));
  const back = new URL(form.get("redirect_uri") ?? "");
  back.searchParams.set("state", form.get("state") ?? "");
  if (form.get("decision") !== "allow") {
    back.searchParams.set("error", "access_denied");
    back.searchParams.set("error_description", "The user denied the request");
    return redirect(response, back.toString());
  }
  const code = newToken();
  state.codes.set(code, {
    clientId: form.get("client_id") ?? "",
    redirectUri: form.get("redirect_uri") ?? "",
    challenge: form.get("code_challenge") ?? "",
    scopes: (form.get("scope") ?? "").split(" ").filter(Boolean),
    accountId: state.accounts[0].id,
    expiresAt: Date.now() + CODE_LIFETIME_MS,
  });
  back.searchParams.set("code", code);
  redirect(response, back.toString());
}

function authenticateClient(state: DoubleState, request: IncomingMessage) {
  const basic = /^Basic (.+)$/.exec(request.headers.authorization ?? "")?.[1];
  if (!basic) return undefined;
  const [clientId, clientSecret] = Buffer.from(basic, "base64").toString("utf8").split(":");
  return state.clients.find((client) => client.clientId === clientId && client.clientSecret === clientSecret);
}

const oauthError = (response: ServerResponse, status: number, error: string, description: string) =>
  sendJson(response, status, { error, error_description: description }, { "Content-Type": "application/json" });

/** POST /oauth/token: authorization code (with PKCE) and refresh token grants. */
export async function token(state: DoubleState, request: IncomingMessage, response: ServerResponse) {
  const client = authenticateClient(state, request);
  if (!client) return oauthError(response, 401, "invalid_client", "Client authentication failed");
  const form = new URLSearchParams(await readBody(request));
  const grant = form.get("grant_type");

  if (grant === "authorization_code") {
    const code = state.codes.get(form.get("code") ?? "");
    state.codes.delete(form.get("code") ?? "");
    const verifier = form.get("code_verifier") ?? "";
    if (!code || code.expiresAt < Date.now() || code.clientId !== client.clientId) {
      return oauthError(response, 400, "invalid_grant", "The authorization code is invalid or expired");
    }
    if (code.redirectUri !== form.get("redirect_uri"))
      return oauthError(response, 400, "invalid_grant", "redirect_uri mismatch");
    if (!VERIFIER.test(verifier)) return oauthError(response, 400, "invalid_request", 'Invalid "code_verifier"');
    if (s256(verifier) !== code.challenge) return oauthError(response, 400, "invalid_grant", "Code challenge failed.");
    return issueTokens(state, response, {
      accountId: code.accountId,
      clientId: client.clientId,
      scopes: code.scopes,
      refreshToken: newToken(),
    });
  }

  if (grant === "refresh_token") {
    const previous = state.tokens.find((candidate) => candidate.refreshToken === form.get("refresh_token"));
    if (!previous || previous.revoked || previous.clientId !== client.clientId) {
      return oauthError(response, 400, "invalid_grant", "The refresh token is invalid, expired or revoked");
    }
    return issueTokens(state, response, { ...previous });
  }
  oauthError(response, 400, "invalid_grant_type", "grant_type must be authorization_code or refresh_token");
}

function issueTokens(
  state: DoubleState,
  response: ServerResponse,
  grant: { accountId: string; clientId: string; scopes: string[]; refreshToken: string },
) {
  const issued = {
    ...grant,
    accessToken: newToken(),
    accessExpiresAt: Date.now() + state.accessTokenLifetimeSeconds * 1000,
    revoked: false,
  };
  state.tokens.push(issued);
  sendJson(
    response,
    200,
    {
      access_token: issued.accessToken,
      token_type: "Bearer",
      expires_in: state.accessTokenLifetimeSeconds,
      refresh_token: issued.refreshToken,
      scope: issued.scopes.join(" "),
    },
    { "Content-Type": "application/json" },
  );
}

/** POST /oauth/revoke: ends the installation; its tokens stop working at once. */
export async function revoke(state: DoubleState, request: IncomingMessage, response: ServerResponse) {
  const client = authenticateClient(state, request);
  if (!client) return oauthError(response, 401, "invalid_client", "Client authentication failed");
  const revoked = new URLSearchParams(await readBody(request)).get("token");
  for (const issued of state.tokens) {
    if (issued.refreshToken === revoked || issued.accessToken === revoked) issued.revoked = true;
  }
  sendJson(response, 200, { success: true }, { "Content-Type": "application/json" });
}
