import assert from "node:assert/strict";
import { test } from "node:test";
import { sanitizeStaffHtml } from "./staff-html.ts";

test("scripts, handlers, styles and javascript: links are removed; formatting stays", () => {
  const clean = sanitizeStaffHtml(
    `<p style="position:fixed" onclick="steal()">Hi <strong>there</strong><script>alert(1)</script></p>` +
      `<a href="javascript:alert(1)">x</a><iframe src="https://evil.example"></iframe><img src=x onerror="alert(1)">`,
  );
  assert.equal(
    clean,
    `<p>Hi <strong>there</strong></p><a target="_blank" rel="noopener noreferrer nofollow">x</a><img src="x" />`,
  );
});

test("links open safely in a new tab, and mentions of colleagues keep their data", () => {
  assert.equal(
    sanitizeStaffHtml(`<a href="https://shop.example/orders/7">order</a>`),
    `<a href="https://shop.example/orders/7" target="_blank" rel="noopener noreferrer nofollow">order</a>`,
  );
  const mention = `<span class="sb-mention" data-type="mention" data-id="u1" data-label="Sara">@Sara</span>`;
  assert.equal(sanitizeStaffHtml(`<p>${mention}</p>`), `<p>${mention}</p>`);
});
