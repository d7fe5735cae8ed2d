import { Link } from "@remix-run/react";

/** The app's navigation; Integrations lives under Account Settings, where the seed's message sends merchants. */
export const ADMIN_PAGES = [
  { path: "/app", label: "Dashboard", within: [] },
  { path: "/app/track-settings", label: "Track Settings", within: [] },
  { path: "/app/activity", label: "Activity", within: [] },
  { path: "/app/account-settings", label: "Account Settings", within: ["/app/integrations"] },
] as const;

const isCurrent = (page: (typeof ADMIN_PAGES)[number], pathname: string) =>
  page.path === "/app"
    ? pathname === "/app" || pathname === "/app/"
    : [page.path, ...page.within].some((path) => pathname === path || pathname.startsWith(`${path}/`));

/**
 * Inside Shopify's admin, App Bridge draws these links in the admin's own menu (ui-nav-menu) and
 * nothing else may repeat them. The in-page bar is only for a plain browser tab (the demo), where
 * no admin draws that menu.
 */
export function AppNavigation({ inPage, pathname }: { inPage: boolean; pathname: string }) {
  return (
    <>
      <ui-nav-menu>
        {ADMIN_PAGES.map((page) => (
          <a key={page.path} href={page.path} rel={page.path === "/app" ? "home" : undefined}>
            {page.label}
          </a>
        ))}
      </ui-nav-menu>
      {inPage ? (
        <nav className="waypost-nav" aria-label="Waypost">
          {ADMIN_PAGES.map((page) => (
            <Link
              key={page.path}
              to={page.path}
              prefetch="intent"
              aria-current={isCurrent(page, pathname) ? "page" : undefined}
            >
              {page.label}
            </Link>
          ))}
        </nav>
      ) : null}
    </>
  );
}

/** Where each page's help lives on the Help page. */
const HELP_TOPICS = [
  { path: "/app/track-settings", anchor: "track-settings", topic: "choosing events and Go Live" },
  { path: "/app/activity", anchor: "activity", topic: "event statuses and replaying" },
  { path: "/app/integrations", anchor: "integrations", topic: "connecting Klaviyo" },
  { path: "/app/account-settings", anchor: "integrations", topic: "connecting Klaviyo" },
  { path: "/app/help", anchor: "", topic: "" },
] as const;

export function helpTopicFor(pathname: string): { url: string; topic: string } | null {
  const match = HELP_TOPICS.find((entry) => pathname === entry.path || pathname.startsWith(`${entry.path}/`));
  if (match?.path === "/app/help") return null;
  return match
    ? { url: `/app/help#${match.anchor}`, topic: match.topic }
    : { url: "/app/help#getting-started", topic: "setting up Waypost" };
}
