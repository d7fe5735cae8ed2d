import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useFetcher, useLoaderData } from "@remix-run/react";
import { BlockStack, Card, EmptyState, Page, Text, TextField } from "@shopify/polaris";
import { useEffect, useState } from "react";
import { z } from "zod";
import { KlaviyoCard, type IntegrationActionData } from "../components/KlaviyoCard";
import { StorefrontPixelCard } from "../components/StorefrontPixelCard";
import { authorizationFailureMessage } from "../klaviyo/authorization-messages";
import { beginKlaviyoAuthorization } from "../klaviyo/authorization.server";
import { disconnectConsequences, disconnectKlaviyo } from "../jobs/offboarding.server";
import { connectWithPrivateKey, klaviyoConnectionView } from "../klaviyo/connection.server";
import { KLAVIYO_PERMISSIONS } from "../klaviyo/scopes";
import { storefrontPixelView, syncStorefrontPixel } from "../platform/storefront-pixel.server";
import { requireAdmin } from "../shops/admin-context.server";
import { env } from "../env.server";

const INTEGRATIONS = [
  {
    id: "klaviyo",
    name: "Klaviyo",
    category: "Marketing",
    description: "Email and SMS flows triggered by order and shipment events, with customer profiles kept up to date.",
  },
  {
    id: "storefront_pixel",
    name: "Storefront pixel",
    category: "Storefront",
    description:
      "Shopper activity on your storefront (product views, carts, checkouts), sent with the visitor's consent.",
  },
] as const;

export async function loader({ request }: LoaderFunctionArgs) {
  const { shop } = await requireAdmin(request);
  const params = new URL(request.url).searchParams;
  const notice =
    params.get("klaviyo") === "connected"
      ? {
          tone: "success" as const,
          message: "Klaviyo is connected. Turn on Go Live in Track Settings to start sending events.",
        }
      : params.get("klaviyo") === "error"
        ? { tone: "critical" as const, message: authorizationFailureMessage(params.get("reason")) }
        : null;
  const [connection, disconnect, pixel] = await Promise.all([
    klaviyoConnectionView(shop.id),
    disconnectConsequences(shop.id),
    storefrontPixelView(shop.id),
  ]);
  return json({
    connection,
    disconnect,
    pixel,
    // The demo has a storefront of its own to browse with the pixel (app/routes/demo.storefront.tsx).
    demoStorefrontUrl: env.demo ? "/demo/storefront" : null,
    notice,
    permissions: KLAVIYO_PERMISSIONS,
    integrations: INTEGRATIONS,
  });
}

const IntegrationAction = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("connect") }),
  z.object({ intent: z.literal("private_key"), apiKey: z.string().max(200) }),
  z.object({ intent: z.literal("disconnect") }),
  z.object({ intent: z.literal("sync_pixel") }),
]);

export async function action({ request }: ActionFunctionArgs) {
  const { shop } = await requireAdmin(request);
  const parsed = IntegrationAction.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success)
    return json({ error: "That request was not understood. Reload the page and try again." }, { status: 400 });
  switch (parsed.data.intent) {
    case "connect": {
      const begun = await beginKlaviyoAuthorization(shop.id);
      return begun.ok
        ? json({ authorizeUrl: begun.authorizeUrl })
        : json({ error: authorizationFailureMessage(begun.reason) }, { status: 400 });
    }
    case "private_key": {
      const result = await connectWithPrivateKey(shop.id, parsed.data.apiKey);
      return result.ok ? json({ connected: result.accountName }) : json({ error: result.message }, { status: 400 });
    }
    case "disconnect":
      return json({ disconnected: (await disconnectKlaviyo(shop.id)).disconnected });
    case "sync_pixel":
      return json({ pixel: await syncStorefrontPixel(shop.domain) });
  }
}

export default function Integrations() {
  const { connection, disconnect, pixel, demoStorefrontUrl, notice, permissions, integrations } =
    useLoaderData<typeof loader>();
  const fetcher = useFetcher<IntegrationActionData>();
  const pixelFetcher = useFetcher();
  const [search, setSearch] = useState("");

  useEffect(() => {
    // Klaviyo's consent page cannot load inside the admin's frame: leave it for the top window.
    if (fetcher.data?.authorizeUrl) window.open(fetcher.data.authorizeUrl, "_top");
  }, [fetcher.data]);

  const query = search.trim().toLowerCase();
  const shown = integrations.filter((integration) =>
    [integration.name, integration.category, integration.description].some((text) =>
      text.toLowerCase().includes(query),
    ),
  );
  const categories = [...new Set(shown.map((integration) => integration.category))];

  return (
    <Page
      title="Integrations"
      subtitle="Where your store's shipping events go"
      backAction={{ content: "Account Settings", url: "/app/account-settings" }}
    >
      <BlockStack gap="400">
        <TextField
          label="Search integrations"
          labelHidden
          placeholder="Search integrations"
          value={search}
          onChange={setSearch}
          autoComplete="off"
          clearButton
          onClearButtonClick={() => setSearch("")}
        />
        {shown.length === 0 ? (
          <Card>
            <EmptyState heading="No integrations match your search" image="">
              <p>Try another name, such as Klaviyo, or a category, such as Marketing.</p>
            </EmptyState>
          </Card>
        ) : (
          categories.map((category) => (
            <BlockStack gap="300" key={category}>
              <Text as="h2" variant="headingMd">
                {category}
              </Text>
              {shown
                .filter((integration) => integration.category === category)
                .map((integration) =>
                  integration.id === "klaviyo" ? (
                    <KlaviyoCard
                      key={integration.id}
                      connection={connection}
                      disconnect={disconnect}
                      permissions={permissions}
                      notice={notice}
                      fetcher={fetcher}
                    />
                  ) : (
                    <StorefrontPixelCard
                      key={integration.id}
                      pixel={pixel}
                      fetcher={pixelFetcher}
                      demoStorefrontUrl={demoStorefrontUrl}
                    />
                  ),
                )}
            </BlockStack>
          ))
        )}
      </BlockStack>
    </Page>
  );
}
