// Accessibility checks with axe-core: WCAG 2.2 levels A and AA (with 2.0 and 2.1's rules).
import AxeBuilder from '@axe-core/playwright';

export const WCAG22_AA_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/**
 * Runs axe on the page and returns its violations as readable text ('' when there are none).
 * @param {import('playwright-core').Page} page
 */
export async function axeViolations(page) {
  const results = await new AxeBuilder({ page }).withTags(WCAG22_AA_TAGS).analyze();
  return results.violations
    .map((v) => {
      const nodes = v.nodes
        .map((n) => `    at ${n.target.join(' ')}\n      ${n.failureSummary?.replace(/\n/g, '\n      ') ?? ''}`)
        .join('\n');
      return `- ${v.id} [${v.impact}] ${v.help}\n    ${v.helpUrl}\n${nodes}`;
    })
    .join('\n');
}
