// How tests play the merchant and Waypost's OAuth client at the Klaviyo double.

export const TEST_KLAVIYO_CLIENT = { clientId: "waypost-test-client", clientSecret: "waypost-test-client-secret" };

/** Plays the merchant on the double's consent page: returns the callback URL Klaviyo redirects to. */
export async function consentAtDouble(authorizeUrl: string, decision: "allow" | "deny"): Promise<URL> {
  const page = await fetch(authorizeUrl);
  if (page.status !== 200) throw new Error(`consent page answered ${page.status}`);
  const form = new URLSearchParams(new URL(authorizeUrl).searchParams);
  form.set("decision", decision);
  const response = await fetch(new URL("/oauth/authorize", authorizeUrl), {
    method: "POST",
    body: form,
    redirect: "manual",
  });
  return new URL(response.headers.get("location")!);
}
