import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useFetcher, useLoaderData } from "@remix-run/react";
import {
  Banner,
  BlockStack,
  Button,
  Card,
  Checkbox,
  InlineStack,
  Link,
  Page,
  Select,
  Text,
  TextField,
} from "@shopify/polaris";
import { memo, useCallback, useEffect, useState } from "react";
import { z } from "zod";
import { ownEntry } from "../own-entry";
import { BackfillCard } from "../components/BackfillCard";
import { CreateMetricsCard } from "../components/CreateMetricsCard";
import { EventKlaviyoFacts, KlaviyoFactsRefresh } from "../components/EventKlaviyoFacts";
import { ContextualSaveBar } from "../components/ContextualSaveBar";
import { EventInsights } from "../components/EventInsights";
import { StoreCreditCard } from "../components/StoreCreditCard";
import { showToast } from "../components/toast";
import {
  BackfillRefused,
  cancelBackfill,
  pauseBackfill,
  resumeBackfill,
  startBackfill,
} from "../jobs/backfill/commands.server";
import { BACKFILL_DAYS } from "../jobs/backfill/progress";
import { latestBackfill } from "../jobs/backfill/progress.server";
import { eventKlaviyoFactsFor } from "../jobs/klaviyo-reads/event-facts.server";
import { createMetricsInKlaviyo } from "../jobs/klaviyo-reads/sample-metrics.server";
import { klaviyoConnectionView } from "../klaviyo/connection.server";
import { sendTestEvent, type TestEventResult } from "../jobs/test-event.server";
import { eventPreviews } from "../klaviyo/sample-event";
import { eventInsightsFor } from "../settings/event-insights.server";
import { SHIPMENT_DELAY_DAYS } from "../settings/shipment-delay";
import { saveStoreCreditSync, storeCreditSettingFor } from "../settings/store-credit.server";
import { isEventKey, saveTrackSettings, trackSettingsFor } from "../settings/track-settings.server";
import { requireAdmin } from "../shops/admin-context.server";
import { syncStorefrontPixelIfChanged } from "../platform/storefront-pixel.server";
import { pixelEventsFor } from "../tracking/storefront-events";
import { consentSyncFor, setConsentSync } from "../jobs/consent/consent-sync.server";
import { ConsentSyncCard } from "../components/ConsentSyncCard";

const KLAVIYO_REQUIRED_MESSAGE = "Connect Klaviyo in Account Settings > Integrations to configure these events";

export async function loader({ request }: LoaderFunctionArgs) {
  const { shop } = await requireAdmin(request);
  // First: it may turn off an event Klaviyo's Shopify integration already sends, which the settings then show.
  const klaviyoFacts = await eventKlaviyoFactsFor(shop);
  const [settings, connection, backfill, insights, storeCredit, consentSync] = await Promise.all([
    trackSettingsFor(shop.id),
    klaviyoConnectionView(shop.id),
    latestBackfill(shop.id),
    eventInsightsFor(shop.id),
    storeCreditSettingFor(shop),
    consentSyncFor(shop.id),
  ]);
  return json({
    ...settings,
    insights,
    previews: eventPreviews(shop),
    klaviyoConnected: connection.status !== "not_connected",
    backfill,
    backfillDefaultDays: BACKFILL_DAYS.default,
    klaviyoFacts,
    timezone: shop.timezone,
    storeCredit,
    consentSync,
  });
}

const TrackSettingsForm = z.object({
  goLive: z.enum(["on", "off"]),
  enabledEvents: z.array(z.string().refine(isEventKey, "unknown event")),
});
const DELAY_DAYS_ERROR = `Enter a whole number of days from ${SHIPMENT_DELAY_DAYS.min} to ${SHIPMENT_DELAY_DAYS.max}.`;
const ShipmentDelayDays = z.coerce.number().int().min(SHIPMENT_DELAY_DAYS.min).max(SHIPMENT_DELAY_DAYS.max);

const TestEventForm = z.object({
  eventKey: z.string().refine(isEventKey, "unknown event"),
  email: z.string().trim().email().max(254),
});

const StoreCreditForm = z.object({ enabled: z.enum(["on", "off"]) });

const SampleProfileForm = z.object({ email: z.string().trim().email().max(254) });

const BackfillStartForm = z.object({
  days: z.coerce.number().int().min(BACKFILL_DAYS.min).max(BACKFILL_DAYS.max),
  triggerFlows: z.enum(["on", "off"]).default("off"),
});

const BACKFILL_CHANGES = {
  backfill_pause: pauseBackfill,
  backfill_resume: resumeBackfill,
  backfill_cancel: cancelBackfill,
} as const;

export async function action({ request }: ActionFunctionArgs) {
  const { shop } = await requireAdmin(request);
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");
  if (intent === "test_event") return json({ test: await testEventAction(shop, form) });
  if (intent === "create_metrics") {
    const parsed = SampleProfileForm.safeParse({ email: form.get("email") });
    if (!parsed.success)
      return json(
        { createMetrics: { ok: false, message: "Enter the email address of a test profile." } },
        { status: 400 },
      );
    return json({ createMetrics: await createMetricsInKlaviyo(shop, parsed.data.email) });
  }
  if (intent === "refresh_klaviyo") {
    const facts = await eventKlaviyoFactsFor(shop, { refresh: true });
    return json({ refreshed: true, error: facts.error });
  }
  if (intent.startsWith("backfill_")) return backfillAction(shop.id, intent, form);
  if (intent === "store_credit") {
    const parsed = StoreCreditForm.safeParse({ enabled: form.get("enabled") });
    if (!parsed.success) return json({ storeCredit: { saved: false } }, { status: 400 });
    await saveStoreCreditSync(shop.id, parsed.data.enabled === "on");
    return json({ storeCredit: { saved: true } });
  }
  if (intent === "consent_sync")
    return json({ consentSync: await setConsentSync(shop.id, form.get("enabled") === "on") });
  const parsed = TrackSettingsForm.safeParse({
    goLive: form.get("goLive"),
    enabledEvents: form.getAll("enabledEvents"),
  });
  if (!parsed.success)
    return json(
      { saved: false, error: "Those settings could not be read. Reload the page and try again.", delayError: null },
      { status: 400 },
    );
  // Absent: a client that does not show the field; the shop's threshold stays as it is.
  const delayField = form.get("shipmentDelayDays");
  const delay = delayField === null ? undefined : ShipmentDelayDays.safeParse(String(delayField).trim() || "x");
  if (delay && !delay.success)
    return json({ saved: false, error: null, delayError: DELAY_DAYS_ERROR }, { status: 400 });
  const enabledEvents = parsed.data.enabledEvents.filter(isEventKey);
  await saveTrackSettings(shop.id, {
    goLive: parsed.data.goLive === "on",
    enabledEvents,
    shipmentDelayDays: delay?.data,
  });
  // The storefront pixel sends only the events turned on: its settings at Shopify follow the toggles.
  await syncStorefrontPixelIfChanged(shop, pixelEventsFor(enabledEvents));
  return json({ saved: true, error: null, delayError: null });
}

async function backfillAction(shopId: string, intent: string, form: FormData) {
  try {
    if (intent === "backfill_start") {
      const parsed = BackfillStartForm.safeParse({
        days: form.get("days"),
        triggerFlows: form.get("triggerFlows") ?? undefined,
      });
      if (!parsed.success)
        return json(
          { backfillError: `Choose between ${BACKFILL_DAYS.min} and ${BACKFILL_DAYS.max} days of history.` },
          { status: 400 },
        );
      await startBackfill(shopId, { windowDays: parsed.data.days, triggerFlows: parsed.data.triggerFlows === "on" });
      return json({ backfillError: null });
    }
    const change = ownEntry(BACKFILL_CHANGES, intent);
    if (!change) return json({ backfillError: "Unknown action." }, { status: 400 });
    await change(shopId, String(form.get("backfillId") ?? ""));
    return json({ backfillError: null });
  } catch (error) {
    if (error instanceof BackfillRefused) return json({ backfillError: error.message }, { status: 409 });
    throw error;
  }
}

async function testEventAction(
  shop: Awaited<ReturnType<typeof requireAdmin>>["shop"],
  form: FormData,
): Promise<TestEventResult | { ok: false; message: string }> {
  const parsed = TestEventForm.safeParse({ eventKey: form.get("eventKey"), email: form.get("email") });
  if (!parsed.success) return { ok: false, message: "Enter the email address of a test profile and choose an event." };
  const { events } = await trackSettingsFor(shop.id);
  if (!events.find((event) => event.key === parsed.data.eventKey)?.enabled)
    return { ok: false, message: "Turn that event on and save before sending a test." };
  return sendTestEvent(shop, parsed.data.eventKey as Parameters<typeof sendTestEvent>[1], parsed.data.email);
}

/** Sends a sample of one enabled event to the merchant's Klaviyo and shows Klaviyo's answer. */
function TestEventCard({
  events,
  klaviyoConnected,
}: {
  events: Array<{ key: string; metric: string; enabled: boolean }>;
  klaviyoConnected: boolean;
}) {
  const fetcher = useFetcher<{ test?: TestEventResult | { ok: false; message: string } }>();
  const enabled = events.filter((event) => event.enabled);
  const [eventKey, setEventKey] = useState(enabled[0]?.key ?? "");
  const [email, setEmail] = useState("");
  const result = fetcher.state === "idle" ? fetcher.data?.test : undefined;
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          Send a test event
        </Text>
        <Text as="p" tone="subdued">
          Sends a sample (order #1001, marked waypost_test_event) to your Klaviyo for a profile you choose, so you can
          check a flow before real orders arrive.
        </Text>
        {result?.ok ? (
          <Banner tone="success" title="Klaviyo accepted the test event">
            <p>{`${result.metric} for ${result.email}: HTTP ${result.status} in ${result.latencyMs} ms. Find it in Klaviyo on that profile's activity.`}</p>
          </Banner>
        ) : result ? (
          <Banner tone="critical" title="The test event was not accepted">
            <p>{result.message}</p>
          </Banner>
        ) : null}
        {/* The form's own fields are what is sent, so a choice made before the page finished loading counts. */}
        <fetcher.Form method="post">
          <input type="hidden" name="intent" value="test_event" />
          <InlineStack gap="300" blockAlign="end" wrap>
            <Select
              label="Event"
              name="eventKey"
              value={eventKey}
              onChange={setEventKey}
              disabled={!klaviyoConnected || enabled.length === 0}
              options={
                enabled.length
                  ? enabled.map((event) => ({ label: event.metric, value: event.key }))
                  : [{ label: "No events turned on", value: "" }]
              }
            />
            <TextField
              label="Test profile email"
              name="email"
              type="email"
              value={email}
              onChange={setEmail}
              autoComplete="email"
              placeholder="you@yourstore.com"
              disabled={!klaviyoConnected}
            />
            <Button disabled={!klaviyoConnected || !eventKey || !email} loading={fetcher.state !== "idle"} submit>
              Send test event
            </Button>
          </InlineStack>
        </fetcher.Form>
      </BlockStack>
    </Card>
  );
}

/** One event's toggle, what Klaviyo says about it, and what Waypost has sent of it. */
function EventToggle({
  event,
  checked,
  klaviyoConnected,
  facts,
  flowBuilderUrl,
  insight,
  since,
  preview,
  onToggle,
}: {
  event: { key: string; metric: string; description: string };
  checked: boolean;
  klaviyoConnected: boolean;
  facts: Parameters<typeof EventKlaviyoFacts>[0]["facts"];
  flowBuilderUrl: string;
  insight: Parameters<typeof EventInsights>[0]["insight"];
  since: Parameters<typeof EventInsights>[0]["since"];
  preview: Parameters<typeof EventInsights>[0]["preview"];
  onToggle: (key: string, on: boolean) => void;
}) {
  return (
    <BlockStack gap="100">
      <Checkbox
        label={event.metric}
        helpText={event.description}
        checked={checked}
        disabled={!klaviyoConnected}
        onChange={(on) => onToggle(event.key, on)}
      />
      <EventKlaviyoFacts metric={event.metric} facts={facts} enabled={checked} flowBuilderUrl={flowBuilderUrl} />
      <div style={{ paddingInlineStart: "var(--p-space-600)" }}>
        <EventInsights eventKey={event.key} metric={event.metric} insight={insight} since={since} preview={preview} />
      </div>
    </BlockStack>
  );
}

const SAVE_BAR_ID = "track-settings-save-bar";
// A toggle re-renders the form, not the cards below it (INP: a click must paint within 200 ms on a slow phone).
const MemoTestEventCard = memo(TestEventCard);
const MemoBackfillCard = memo(BackfillCard);
const MemoEventToggle = memo(EventToggle);
const MemoStoreCreditCard = memo(StoreCreditCard);
const MemoConsentSyncCard = memo(ConsentSyncCard);
const MemoCreateMetricsCard = memo(CreateMetricsCard);

export default function TrackSettings() {
  const saved = useLoaderData<typeof loader>();
  const fetcher = useFetcher<{ saved: boolean; error: string | null; delayError: string | null }>();
  const savedEnabled = saved.events
    .filter((event) => event.enabled)
    .map((event) => event.key)
    .sort()
    .join(",");
  const [goLive, setGoLive] = useState(saved.goLive);
  const [enabled, setEnabled] = useState(() => new Set<string>(savedEnabled.split(",").filter(Boolean)));
  const savedDelay = String(saved.shipmentDelayDays);
  const [delayDays, setDelayDays] = useState(savedDelay);
  const dirty = goLive !== saved.goLive || [...enabled].sort().join(",") !== savedEnabled || delayDays !== savedDelay;
  const discard = useCallback(() => {
    setGoLive(saved.goLive);
    setEnabled(new Set<string>(savedEnabled.split(",").filter(Boolean)));
    setDelayDays(savedDelay);
  }, [saved.goLive, savedEnabled, savedDelay]);

  // Only a change of what is saved resets the form: the import card's polling reloads the page's
  // data every few seconds and must not wipe changes the merchant has not saved yet.
  useEffect(discard, [discard]);
  useEffect(() => {
    if (fetcher.state === "idle" && fetcher.data?.saved) showToast("Settings saved.");
  }, [fetcher.state, fetcher.data]);

  // Stable, so a toggle re-renders only the event it changed.
  const toggle = useCallback(
    (key: string, on: boolean) =>
      setEnabled((current) => {
        const next = new Set(current);
        if (on) next.add(key);
        else next.delete(key);
        return next;
      }),
    [],
  );
  const save = () => {
    const form = new FormData();
    form.set("goLive", goLive ? "on" : "off");
    for (const key of enabled) form.append("enabledEvents", key);
    form.set("shipmentDelayDays", delayDays);
    fetcher.submit(form, { method: "post" });
  };

  const eventToggle = (event: (typeof saved.events)[number]) => (
    <MemoEventToggle
      key={event.key}
      event={event}
      checked={enabled.has(event.key)}
      klaviyoConnected={saved.klaviyoConnected}
      facts={ownEntry(saved.klaviyoFacts.byEvent, event.key)}
      flowBuilderUrl={saved.klaviyoFacts.flowBuilderUrl}
      insight={saved.insights.events[event.key]}
      since={saved.insights.since}
      preview={saved.previews[event.key] ?? null}
      onToggle={toggle}
    />
  );

  return (
    <Page title="Track Settings">
      <ContextualSaveBar
        id={SAVE_BAR_ID}
        dirty={dirty}
        saving={fetcher.state !== "idle"}
        onSave={save}
        onDiscard={discard}
      />
      <BlockStack gap="400">
        {fetcher.data?.error ? <Banner tone="critical">{fetcher.data.error}</Banner> : null}
        <Card>
          <BlockStack gap="200">
            <Text as="h2" variant="headingMd">
              Go Live
            </Text>
            <Checkbox
              label="Go Live"
              checked={goLive}
              onChange={setGoLive}
              helpText="While Go Live is off, Waypost records events but sends nothing to Klaviyo."
            />
            {goLive && !saved.klaviyoConnected ? (
              <Banner
                tone="warning"
                title="Klaviyo is not connected yet"
                action={{ content: "Connect Klaviyo", url: "/app/integrations" }}
              >
                <p>
                  With Go Live on, Waypost records every event but sends none until Klaviyo is connected: until then
                  Activity lists them as skipped because Klaviyo is not connected.
                </p>
              </Banner>
            ) : null}
          </BlockStack>
        </Card>
        <Card>
          <BlockStack gap="300">
            <Text as="h2" variant="headingMd">
              Klaviyo Notifications
            </Text>
            {saved.klaviyoConnected ? null : (
              <Banner tone="info">
                <Link url="/app/integrations">{KLAVIYO_REQUIRED_MESSAGE}</Link>
              </Banner>
            )}
            <KlaviyoFactsRefresh fetchedAt={saved.klaviyoFacts.fetchedAt} timeZone={saved.timezone} />
            {saved.klaviyoFacts.error ? (
              <Banner tone="warning" title="Klaviyo's flows could not be read just now">
                <p>{saved.klaviyoFacts.error}</p>
              </Banner>
            ) : null}
            {saved.events.filter((event) => event.lifecycle !== "storefront").map(eventToggle)}
          </BlockStack>
        </Card>
        <Card>
          <BlockStack gap="300">
            <Text as="h2" variant="headingMd">
              Storefront activity
            </Text>
            <Text as="p" tone="subdued">
              What shoppers do on your storefront, from Waypost&apos;s web pixel (with the visitor&apos;s consent): each
              browser is sent as an anonymous profile, merged into the customer&apos;s once they log in or give their
              email at checkout. Off until you turn each on; if Klaviyo&apos;s own onsite tracking already records a
              metric, keep Waypost&apos;s off.
            </Text>
            {saved.events.filter((event) => event.lifecycle === "storefront").map(eventToggle)}
          </BlockStack>
        </Card>
        <Card>
          <BlockStack gap="200">
            <Text as="h2" variant="headingMd">
              Shipment delays
            </Text>
            <TextField
              label="Days without a carrier scan before Shipment Delayed"
              type="number"
              min={SHIPMENT_DELAY_DAYS.min}
              max={SHIPMENT_DELAY_DAYS.max}
              value={delayDays}
              onChange={setDelayDays}
              autoComplete="off"
              error={fetcher.state === "idle" ? (fetcher.data?.delayError ?? undefined) : undefined}
              helpText={`A shipment with no carrier scan for this many days, and not delivered, gets Shipment Delayed once; one past its estimated delivery date gets it too. Waypost's default is ${saved.shipmentDelayDefault} days.`}
            />
          </BlockStack>
        </Card>
        <MemoStoreCreditCard enabled={saved.storeCredit.enabled} scopeGranted={saved.storeCredit.scopeGranted} />
        <MemoCreateMetricsCard
          klaviyoConnected={saved.klaviyoConnected}
          enabledCount={saved.events.filter((event) => event.enabled).length}
        />
        <MemoTestEventCard events={saved.events} klaviyoConnected={saved.klaviyoConnected} />
        <MemoConsentSyncCard sync={saved.consentSync} klaviyoConnected={saved.klaviyoConnected} />
        <MemoBackfillCard
          backfill={saved.backfill}
          klaviyoConnected={saved.klaviyoConnected}
          defaultDays={saved.backfillDefaultDays}
        />
      </BlockStack>
    </Page>
  );
}
