import { useFetcher } from "@remix-run/react";
import { useEffect, useState } from "react";

/**
 * A settings toggle saved the moment it changes (apart from the page's save bar): posts
 * `{ intent, enabled: "on" | "off" }` to the page's action, shows the new state from the click
 * on (the fetcher only reports its submission a tick later), and once the save is done, what the
 * loader says was saved.
 */
export function useInstantToggle<Answer>(intent: string, saved: boolean) {
  const fetcher = useFetcher<Answer>();
  const [wanted, setWanted] = useState<boolean | null>(null);
  useEffect(() => {
    if (fetcher.state === "idle") setWanted(null);
  }, [fetcher.state]);
  const set = (on: boolean) => {
    setWanted(on);
    fetcher.submit({ intent, enabled: on ? "on" : "off" }, { method: "post" });
  };
  return { checked: wanted ?? saved, pending: wanted !== null || fetcher.state !== "idle", set, answer: fetcher.data };
}
