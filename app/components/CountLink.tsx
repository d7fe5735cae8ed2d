import { Link, Text } from "@shopify/polaris";
import { activityUrl, type ActivityLinkFilter } from "../tracking/activity-link";

/**
 * A count that opens the rows behind it in Activity. Zero stays plain text: there is nothing to
 * open. `context` follows the text in the link's name, where the text alone ("3 sent") repeats on the page.
 */
export function CountLink({
  count,
  text,
  filter,
  context,
}: {
  count: number;
  text: string;
  filter: ActivityLinkFilter;
  context: string;
}) {
  const shown = `${count.toLocaleString("en-US")} ${text}`.trim();
  if (count === 0) return <Text as="span">{shown}</Text>;
  return (
    <Link url={activityUrl(filter)} accessibilityLabel={`${shown} ${context}`}>
      {shown}
    </Link>
  );
}
