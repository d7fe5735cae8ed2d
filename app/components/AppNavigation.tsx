import { NavLink } from "@remix-run/react";

export const ADMIN_PAGES = [
  { path: "/app", label: "Dashboard", end: true },
  { path: "/app/integrations", label: "Integrations", end: false },
  { path: "/app/track-settings", label: "Track Settings", end: false },
  { path: "/app/activity", label: "Activity", end: false },
] as const;

/**
 * Inside Shopify's admin, App Bridge draws these links in the admin's own menu (ui-nav-menu);
 * the in-page bar serves every other frame, such as the demo in a plain browser tab.
 */
export function AppNavigation() {
  return (
    <>
      <ui-nav-menu>
        {ADMIN_PAGES.map((page) => (
          <a key={page.path} href={page.path} rel={page.end ? "home" : undefined}>
            {page.label}
          </a>
        ))}
      </ui-nav-menu>
      <nav className="waypost-nav" aria-label="Waypost">
        {ADMIN_PAGES.map((page) => (
          <NavLink key={page.path} to={page.path} end={page.end} prefetch="intent">
            {page.label}
          </NavLink>
        ))}
      </nav>
    </>
  );
}
