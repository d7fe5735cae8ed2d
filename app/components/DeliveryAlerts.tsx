import { Banner, Layout } from "@shopify/polaris";
import { activityUrl } from "../tracking/activity-link";
import { EVENT_SOURCE } from "../tracking/event-source";
import { EVENT_STATUS } from "../tracking/event-status";

export interface RecentHealth {
  since: string;
  attempted: number;
  failed: number;
  failing: boolean;
}

const events = (count: number) => `${count.toLocaleString("en-US")} event${count === 1 ? "" : "s"}`;

/**
 * The Dashboard's delivery banners: deliveries failing now (the last hour's live events, see
 * recentDeliveryHealth for the threshold), and dead letters waiting for a replay. Each count
 * opens its rows in Activity.
 */
export function DeliveryAlerts({ health, deadLetters }: { health: RecentHealth; deadLetters: number }) {
  return (
    <>
      {health.failing ? (
        <Layout.Section>
          <Banner
            tone="critical"
            title="Deliveries to Klaviyo are failing"
            action={{
              content: `Review the last hour's ${events(health.attempted)}`,
              url: activityUrl({ source: EVENT_SOURCE.live, since: health.since }),
            }}
          >
            <p>
              {`${events(health.failed)} of the ${events(health.attempted)} from the last hour could not be delivered yet: Klaviyo refused them or did not answer. Waypost keeps retrying those it can; check the connection on Integrations and the errors in Activity.`}
            </p>
          </Banner>
        </Layout.Section>
      ) : null}
      {deadLetters > 0 ? (
        <Layout.Section>
          <Banner
            tone="critical"
            title={`${events(deadLetters)} could not be delivered`}
            action={{
              content: "Review and replay",
              url: activityUrl({ status: EVENT_STATUS.dead_lettered }),
            }}
          >
            <p>
              Klaviyo refused them or stayed unreachable through every retry. Activity shows why; replaying sends each
              once.
            </p>
          </Banner>
        </Layout.Section>
      ) : null}
    </>
  );
}
