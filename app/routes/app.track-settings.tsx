import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useFetcher, useLoaderData } from "@remix-run/react";
import { Banner, BlockStack, Button, Card, Checkbox, InlineStack, Page, Text } from "@shopify/polaris";
import { useEffect, useState } from "react";
import { z } from "zod";
import { klaviyoConnectionView } from "../klaviyo/connection.server";
import { isEventKey, saveTrackSettings, trackSettingsFor } from "../settings/track-settings.server";
import { requireAdmin } from "../shops/admin-context.server";

const KLAVIYO_REQUIRED_MESSAGE = "Connect Klaviyo in Account Settings > Integrations to configure these events";

export async function loader({ request }: LoaderFunctionArgs) {
  const { shop } = await requireAdmin(request);
  const [settings, connection] = await Promise.all([trackSettingsFor(shop.id), klaviyoConnectionView(shop.id)]);
  return json({ ...settings, klaviyoConnected: connection.status !== "not_connected" });
}

const TrackSettingsForm = z.object({
  goLive: z.enum(["on", "off"]),
  enabledEvents: z.array(z.string().refine(isEventKey, "unknown event")),
});

export async function action({ request }: ActionFunctionArgs) {
  const { shop } = await requireAdmin(request);
  const form = await request.formData();
  const parsed = TrackSettingsForm.safeParse({ goLive: form.get("goLive"), enabledEvents: form.getAll("enabledEvents") });
  if (!parsed.success) return json({ saved: false, error: "Those settings could not be read. Reload the page and try again." }, { status: 400 });
  await saveTrackSettings(shop.id, { goLive: parsed.data.goLive === "on", enabledEvents: parsed.data.enabledEvents.filter(isEventKey) });
  return json({ saved: true, error: null });
}

export default function TrackSettings() {
  const saved = useLoaderData<typeof loader>();
  const fetcher = useFetcher<typeof action>();
  const [goLive, setGoLive] = useState(saved.goLive);
  const [enabled, setEnabled] = useState(() => new Set<string>(saved.events.filter((event) => event.enabled).map((event) => event.key)));
  const savedEnabled = saved.events.filter((event) => event.enabled).map((event) => event.key).sort().join(",");
  const dirty = goLive !== saved.goLive || [...enabled].sort().join(",") !== savedEnabled;

  useEffect(() => {
    setGoLive(saved.goLive);
    setEnabled(new Set<string>(saved.events.filter((event) => event.enabled).map((event) => event.key)));
  }, [saved]);

  const toggle = (key: string, on: boolean) =>
    setEnabled((current) => {
      const next = new Set(current);
      if (on) next.add(key);
      else next.delete(key);
      return next;
    });
  const save = () => {
    const form = new FormData();
    form.set("goLive", goLive ? "on" : "off");
    for (const key of enabled) form.append("enabledEvents", key);
    fetcher.submit(form, { method: "post" });
  };

  return (
    <Page title="Track Settings" primaryAction={{ content: "Save", onAction: save, disabled: !dirty, loading: fetcher.state !== "idle" }}>
      <BlockStack gap="400">
        {fetcher.state === "idle" && fetcher.data?.saved && !dirty ? <Banner tone="success" onDismiss={undefined}>Settings saved.</Banner> : null}
        {fetcher.data?.error ? <Banner tone="critical">{fetcher.data.error}</Banner> : null}
        <Card>
          <BlockStack gap="200">
            <Text as="h2" variant="headingMd">Go Live</Text>
            <Checkbox label="Go Live" checked={goLive} onChange={setGoLive}
              helpText="While Go Live is off, Waypost records events but sends nothing to Klaviyo." />
          </BlockStack>
        </Card>
        <Card>
          <BlockStack gap="300">
            <Text as="h2" variant="headingMd">Klaviyo Notifications</Text>
            {saved.klaviyoConnected ? null : <Banner tone="info">{KLAVIYO_REQUIRED_MESSAGE}</Banner>}
            {saved.events.map((event) => (
              <Checkbox key={event.key} label={event.metric} helpText={event.description} checked={enabled.has(event.key)}
                disabled={!saved.klaviyoConnected} onChange={(on) => toggle(event.key, on)} />
            ))}
          </BlockStack>
        </Card>
        <InlineStack align="end">
          <Button variant="primary" onClick={save} disabled={!dirty} loading={fetcher.state !== "idle"}>Save</Button>
        </InlineStack>
      </BlockStack>
    </Page>
  );
}
