import { BarChart, PolarisVizProvider } from "@shopify/polaris-viz";
import type { ComponentProps } from "react";

/**
 * The chart library's part of the delivery-health chart, in a module of its own so that the
 * browser fetches polaris-viz (about 430 KB) only on the page that shows the chart, after the page.
 */
export default function DeliveryHealthBars({ data }: { data: ComponentProps<typeof BarChart>["data"] }) {
  return (
    <PolarisVizProvider>
      <BarChart data={data} type="stacked" theme="Light" isAnimated={false} showLegend />
    </PolarisVizProvider>
  );
}
