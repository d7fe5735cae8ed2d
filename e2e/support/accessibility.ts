import AxeBuilder from "@axe-core/playwright";
import { expect, type Page, type TestInfo } from "@playwright/test";

// The rule sets Shopify's review and the UX review ran: WCAG 2.0–2.2 A/AA and axe's best practices.
const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"];

/** Runs axe-core on the page as it is now and fails with every violation listed (rule, impact, nodes). */
export async function expectNoAxeViolations(page: Page, testInfo: TestInfo, state: string) {
  const results = await new AxeBuilder({ page })
    // Experimental, so off unless asked for: a button's accessible name must contain its visible label.
    .options({ rules: { "label-content-name-mismatch": { enabled: true } } })
    .withTags(TAGS)
    .analyze();
  const violations = results.violations.map((violation) => ({
    rule: violation.id,
    impact: violation.impact,
    nodes: violation.nodes.map((node) => `${node.target.join(" ")}: ${node.failureSummary?.split("\n")[1] ?? ""}`),
  }));
  await testInfo.attach(`axe-${state}.json`, {
    body: JSON.stringify(violations, null, 2),
    contentType: "application/json",
  });
  expect.soft(violations, `axe violations in ${state}`).toEqual([]);
}
