import { startKlaviyoDouble, type KlaviyoDouble } from "../../app/demo/doubles/klaviyo/server";

export const TEST_KLAVIYO_CLIENT = { clientId: "waypost-test-client", clientSecret: "waypost-test-client-secret" };

/** Starts a Klaviyo double on a free port and points the app's environment at it. */
export async function startDoubleForApp(): Promise<KlaviyoDouble> {
  const double = await startKlaviyoDouble({ clients: [TEST_KLAVIYO_CLIENT] });
  Object.assign(process.env, {
    KLAVIYO_API_URL: double.url,
    KLAVIYO_AUTHORIZE_URL: `${double.url}/oauth/authorize`,
    KLAVIYO_CLIENT_ID: TEST_KLAVIYO_CLIENT.clientId,
    KLAVIYO_CLIENT_SECRET: TEST_KLAVIYO_CLIENT.clientSecret,
  });
  return double;
}

/** Plays the merchant on the double's consent page: returns the callback URL Klaviyo redirects to. */
export async function consentAtDouble(authorizeUrl: string, decision: "allow" | "deny"): Promise<URL> {
  const page = await fetch(authorizeUrl);
  if (page.status !== 200) throw new Error(`consent page answered ${page.status}`);
  const form = new URLSearchParams(new URL(authorizeUrl).searchParams);
  form.set("decision", decision);
  const response = await fetch(new URL("/oauth/authorize", authorizeUrl), { method: "POST", body: form, redirect: "manual" });
  return new URL(response.headers.get("location")!);
}
