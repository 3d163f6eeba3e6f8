import MarkdownIt from "markdown-it";
import { describe, expect, it } from "vitest";
import type { FindingDto } from "./dto";
import { findingMarkdown, markdownText, reportFileName } from "./finding-report";

// A CommonMark renderer with raw HTML and autolinking of bare URLs on, the most permissive way a wiki renders a paste.
const md = new MarkdownIt({ html: true, linkify: true });

const HOSTILE = [
  `<script>alert(1)</script>`,
  `x](javascript:alert(1))`,
  "`rm -rf /`",
  "```\n# not a heading",
  "abc\u202Etxt.exe",
  `=HYPERLINK("http://evil.example","click")`,
  `<img src=x onerror=alert(2)>`,
  `a|b *c* _d_ [e] &amp; \\ ~~f~~`,
];

const ORIGIN = "https://auditor.example.com";
const AS_OF = Date.UTC(2026, 10, 30, 12, 0, 0);

function finding(name: string): FindingDto {
  return {
    id: "cmabc123",
    key: "long-transaction-00000000abc",
    kind: "long-transaction",
    severity: "warning",
    subject: { topic: name, partition: 1, transactionalId: name, groupId: name, brokerId: null, detail: null },
    title: `Transaction ${name} is open`,
    evidence: { transactionalId: name, openForMs: 600_000, ids: [name, "plain"] },
    explanation: `Id ${name} keeps the LSO pinned.`,
    remediation: `Restart ${name}.\n\nThen check again.`,
    commands: [
      {
        program: "kafka-transactions.sh",
        purpose: `Describe ${name}`,
        argv: ["kafka-transactions.sh", "describe", "--transactional-id", name],
        words: null,
        line: `kafka-transactions.sh describe --transactional-id '${name.replaceAll("'", `'\\''`)}'`,
      },
    ],
    clientProperties: null,
    firstSeenAt: AS_OF - 600_000,
    lastSeenAt: AS_OF - 15_000,
    resolvedAt: null,
  };
}

/** Text of the rendered HTML outside code, as a reader sees it. */
function renderedText(html: string): string {
  return html.replace(/<pre><code[^>]*>[\s\S]*?<\/code><\/pre>/g, "").replace(/<[^>]+>/g, "").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&amp;/g, "&");
}

describe("findingMarkdown", () => {
  it("has the title, times, evidence, remediation with its command, and links to the finding and its entities", () => {
    const text = findingMarkdown(finding("orders-writer"), { cluster: "prod", asOf: AS_OF, origin: ORIGIN });
    expect(text.split("\n")[0]).toBe("# Transaction orders\\-writer is open");
    const html = md.render(text);
    const seen = renderedText(html);
    for (const expected of [
      "Severity: warning (open for 10 min)",
      "First seen: 2026-11-30 11:50:00 UTC",
      "Last seen: 2026-11-30 11:59:45 UTC",
      "As of: 2026-11-30 12:00:00 UTC",
      "Id orders-writer keeps the LSO pinned.",
      "Restart orders-writer.",
      "Then check again.",
    ]) {
      expect(seen).toContain(expected);
    }
    expect(html).toContain("<td>openForMs</td>\n<td>600000 (10 min)</td>");
    expect(html).toContain("<code class=\"language-sh\">kafka-transactions.sh describe --transactional-id 'orders-writer'\n</code>");
    const links = [...html.matchAll(/<a href="([^"]*)">([^<]*)<\/a>/g)].map((m) => [m[1], m[2]]);
    expect(links).toEqual([
      [`${ORIGIN}/clusters/prod/findings/cmabc123`, "This finding"],
      [`${ORIGIN}/clusters/prod/topics/orders-writer`, "Topic orders-writer"],
      [`${ORIGIN}/clusters/prod/transactions/orders-writer`, "Transactional id orders-writer"],
      [`${ORIGIN}/clusters/prod/groups/orders-writer`, "Consumer group orders-writer"],
    ]);
  });

  it.each(HOSTILE)("keeps the hostile name %j inert: no markup, no foreign link, no formula, shown as written", (name) => {
    const text = findingMarkdown(finding(name), { cluster: "prod", asOf: AS_OF, origin: ORIGIN });
    const html = md.render(text);
    // Raw HTML is on in this renderer: escaping is all that stands between the name and the page.
    expect(html).not.toMatch(/<(script|img|em|del|s)\b/i);
    // The only emphasis is the six field labels we wrote.
    expect(html.match(/<strong>/g)).toHaveLength(6);
    // Every link is one of ours, with the name percent-encoded in its path.
    for (const [, href] of html.matchAll(/<a href="([^"]*)"/g)) {
      expect(href.startsWith(`${ORIGIN}/clusters/prod/`)).toBe(true);
      expect(href).not.toMatch(/javascript:|[<>"'` ]/i);
    }
    expect(html.match(/<a /g)).toHaveLength(4);
    // Only the five headings we wrote.
    expect(html.match(/<h[1-6]>/g)).toHaveLength(5);
    // One table: the evidence.
    expect(html.match(/<table>/g)).toHaveLength(1);
    // No line of the Markdown starts a formula when pasted into a spreadsheet.
    for (const line of text.split("\n")) expect(line).not.toMatch(/^[=+\-@]\S/);
    // The reader sees the name as written (hidden characters spelled out).
    const shown = name.replace(/\u202E/g, "[U+202E]").replace(/\n/g, "[U+000A]");
    expect(renderedText(html)).toContain(`Transaction ${shown} is open`);
  });

  it("fences a command with a longer run of backticks than it holds", () => {
    const text = findingMarkdown(finding("a```b````c"), { cluster: "prod", asOf: AS_OF, origin: ORIGIN });
    expect(text).toContain("`````sh\nkafka-transactions.sh describe --transactional-id 'a```b````c'\n`````");
    expect(md.render(text)).toContain("--transactional-id 'a```b````c'\n</code></pre>");
  });

  it("says when the finding resolved instead of how long it has been open", () => {
    const f = { ...finding("x"), resolvedAt: AS_OF - 60_000 };
    expect(findingMarkdown(f, { cluster: "prod", asOf: AS_OF, origin: ORIGIN })).toContain("**Severity:** warning (resolved 2026\\-11\\-30 11\\:59\\:00 UTC)");
  });
});

describe("markdownText and reportFileName", () => {
  it("escapes every Markdown punctuation and spells out bidi and line-break characters", () => {
    expect(markdownText("a*b_c`d[e](f)<g>#h|i=j")).toBe("a\\*b\\_c\\`d\\[e\\]\\(f\\)\\<g\\>\\#h\\|i\\=j");
    expect(markdownText("x\u202Ey\nz")).toBe("x\\[U+202E\\]y\\[U+000A\\]z");
  });

  it("names the download after the finding id only", () => {
    expect(reportFileName({ id: "cmabc123" })).toBe("finding-cmabc123.md");
  });
});
