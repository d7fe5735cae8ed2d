/**
 * The one Admin API version Waypost calls and subscribes with: the GraphQL client, the
 * shopifyApp() set-up and shopify.app.toml all use it, and the vendored schema the contract
 * tests check documents against is this version's (app/demo/contracts/admin-documents.test.ts).
 */
export const ADMIN_API_VERSION = "2026-07";
