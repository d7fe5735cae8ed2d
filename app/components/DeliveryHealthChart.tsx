import { Box, SkeletonBodyText, Text } from "@shopify/polaris";
import { lazy, Suspense, useEffect, useRef, useState } from "react";
import { EVENT_STATUS, statusLabel } from "../tracking/event-status";

const CHARTED = [
  { status: EVENT_STATUS.sent, color: "rgba(41, 132, 90, 1)" },
  { status: EVENT_STATUS.skipped, color: "rgba(138, 138, 138, 1)" },
  { status: EVENT_STATUS.dead_lettered, color: "rgba(229, 28, 0, 1)" },
  { status: EVENT_STATUS.cancelled, color: "rgba(255, 184, 0, 1)" },
] as const;

const DeliveryHealthBars = lazy(() => import("./DeliveryHealthBars"));

export interface DayCounts {
  day: string;
  byStatus: Record<string, number>;
}

/**
 * Events per day by what became of them. The chart measures its container, so it renders in
 * the browser; the server sends a skeleton of the same height, and the numbers as text for
 * screen readers either way.
 */
export function DeliveryHealthChart({ days, timezone }: { days: DayCounts[]; timezone: string }) {
  const [inBrowser, setInBrowser] = useState(false);
  const chart = useRef<HTMLDivElement>(null);
  useEffect(() => setInBrowser(true), []);
  // The drawing is for the eye (the numbers are in the text below): inert keeps its focusable bars
  // out of the tab order too, which aria-hidden alone does not (axe: aria-hidden-focus).
  useEffect(() => chart.current?.setAttribute("inert", ""), []);
  const label = (day: string) =>
    new Intl.DateTimeFormat("en-US", { weekday: "short", month: "short", day: "numeric", timeZone: "UTC" }).format(
      new Date(`${day}T00:00:00Z`),
    );
  const data = CHARTED.map(({ status, color }) => ({
    name: statusLabel(status),
    color,
    data: days.map((day) => ({ key: label(day.day), value: day.byStatus[status] ?? 0 })),
  }));
  const summary = days
    .map(
      (day) =>
        `${label(day.day)}: ${CHARTED.map(({ status }) => `${day.byStatus[status] ?? 0} ${statusLabel(status).toLowerCase()}`).join(", ")}`,
    )
    .join("; ");

  return (
    <Box>
      <div ref={chart} style={{ height: 240 }} aria-hidden="true" data-testid="delivery-health-chart">
        {inBrowser ? (
          <Suspense fallback={<SkeletonBodyText lines={8} />}>
            <DeliveryHealthBars data={data} />
          </Suspense>
        ) : (
          <SkeletonBodyText lines={8} />
        )}
      </div>
      <Text as="p" visuallyHidden>{`Events per day (${timezone}): ${summary}`}</Text>
    </Box>
  );
}
