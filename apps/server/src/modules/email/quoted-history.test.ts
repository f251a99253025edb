import assert from "node:assert/strict";
import { test } from "node:test";
import sanitizeHtml from "sanitize-html";
import {
  QUOTED_ATTRIBUTE,
  quotedRole,
  splitQuotedText,
  withoutQuotedHtml,
  wrapQuotedStarts,
} from "./quoted-history.ts";

const split = (lines: string[]) => splitQuotedText(lines.join("\n"));

test("attribution lines in our five languages and the clients' forms start the history", () => {
  const cases: Array<[string, string[]]> = [
    ["Gmail en", ["On Mon, Jan 5, 2026 at 10:00 AM Support <support@x.test> wrote:", "> old"]],
    [
      "Gmail en wrapped",
      ["On Mon, Jan 5, 2026 at 10:00 AM Switchboard Support <", "support@x.test> wrote:", "", "> old"],
    ],
    ["Apple", ["On 5 Jan 2026, at 10:00, Support <support@x.test> wrote:", "> old"]],
    ["Thunderbird en", ["On 05/01/2026 10:00, Support wrote:", "> old"]],
    ["Gmail ro", ["În lun., 5 ian. 2026 la 10:00, Asistență <support@x.test> a scris:", "> old"]],
    ["Thunderbird ro", ["Pe 05.01.2026 10:00, Asistență a scris:", "> old"]],
    ["Gmail pl", ["pon., 5 sty 2026 o 10:00 Obsługa <support@x.test> napisał(a):", "> old"]],
    ["Gmail pl wrapped", ["pon., 5 sty 2026 o 10:00 Obsługa <support@x.test>", "napisał(a):", "> old"]],
    ["Thunderbird pl", ["W dniu 5.01.2026 o 10:00, Obsługa klienta pisze:", "> old"]],
    ["Gmail bg", ["пн, 5.01.2026 г. в 10:00 ч. Поддръжка <support@x.test> написа:", "> old"]],
    ["Thunderbird bg", ["На 5.01.2026 в 10:00, Поддръжка написа:", "> old"]],
    [
      "Gmail fa",
      ["\u202bدر تاریخ دوشنبه ۵ ژانویه ۲۰۲۶ ساعت ۱۰:۰۰ پشتیبانی <support@x.test> نوشت:\u202c", "> old"],
    ],
    ["mail.ru", ["Понедельник, 5 января 2026, 10:00 +03:00 от Поддръжка <support@x.test>:", "> old"]],
    [
      "Outlook en",
      [
        "From: Support <support@x.test>",
        "Sent: Monday, January 5, 2026 10:00 AM",
        "To: A",
        "Subject: x",
        "",
        "old",
      ],
    ],
    [
      "Outlook ro",
      ["De la: Asistență <support@x.test>", "Trimis: luni, 5 ianuarie 2026 10:00", "Către: A", "", "old"],
    ],
    [
      "Outlook pl",
      ["Od: Obsługa <support@x.test>", "Wysłane: poniedziałek, 5 stycznia 2026 10:00", "", "old"],
    ],
    [
      "Outlook bg",
      ["От: Поддръжка <support@x.test>", "Изпратено: понеделник, 5 януари 2026 г. 10:00", "", "old"],
    ],
    ["Outlook fa", ["از: پشتیبانی <support@x.test>", "ارسال شده: دوشنبه ۵ ژانویه ۲۰۲۶", "", "old"]],
    [
      "Outlook web",
      ["________________________________", "From: Support <support@x.test>", "Sent: Monday", "", "old"],
    ],
    ["Outlook 2010", ["-----Original Message-----", "From: Support", "old"]],
    ["Outlook ro separator", ["-----Mesaj original-----", "De la: Asistență", "old"]],
    ["Outlook de", ["-----Ursprüngliche Nachricht-----", "Von: Support", "old"]],
    ["abv.bg", ["-------- Оригинално писмо --------", "От: Поддръжка", "old"]],
    ["bare quote", ["> old", "> older"]],
  ];
  for (const [label, history] of cases) {
    const { newText, quotedText } = split(["New words here.", "", "Anna", "", ...history]);
    assert.equal(newText, "New words here.\n\nAnna", label);
    assert.equal(quotedText, history.join("\n").trim(), label);
  }
});

test("an unrecognised attribution line right above a trailing quote goes with it", () => {
  const { newText, quotedText } = split(["Thanks!", "", "Support wrote:", "> old", ">"]);
  assert.equal(newText, "Thanks!");
  assert.equal(quotedText, "Support wrote:\n> old\n>");
});

test("forwards, inline answers, prose that ends in 'wrote:' and mail that only quotes are not split", () => {
  const forward = [
    "Please look at this.",
    "",
    "---------- Forwarded message ---------",
    "From: Shop <shop@x.test>",
    "Date: Mon, 5 Jan 2026 at 15:00",
    "Subject: Payment failed",
    "",
    "Payment failed.",
  ];
  assert.deepEqual(split(forward), { newText: forward.join("\n"), quotedText: null });
  const inline = ["> Which colour?", "Blue, please.", "> Which size?", "Large."];
  assert.deepEqual(split(inline), { newText: inline.join("\n"), quotedText: null });
  const prose = ["On Monday my colleague wrote:", "the order is late.", "Please check."];
  assert.deepEqual(split(prose), { newText: prose.join("\n"), quotedText: null });
  const onlyQuoted = ["On Mon, Jan 5, 2026 at 10:00 AM Support <support@x.test> wrote:", "> old"];
  assert.deepEqual(split(onlyQuoted), { newText: onlyQuoted.join("\n"), quotedText: null });
  assert.deepEqual(splitQuotedText(""), { newText: "", quotedText: null });
  assert.deepEqual(splitQuotedText("\r\nHello\r\n"), { newText: "Hello", quotedText: null });
});

test("quotedRole knows the clients' quote containers and Outlook's reply header", () => {
  assert.equal(quotedRole("div", { class: "gmail_quote gmail_quote_container" }), "container");
  assert.equal(quotedRole("div", { class: "ydp5a1b2c3dyahoo_quoted" }), "container");
  assert.equal(quotedRole("div", { class: "moz-cite-prefix" }), "container");
  assert.equal(quotedRole("blockquote", { type: "cite" }), "container");
  assert.equal(quotedRole("blockquote", {}), null);
  assert.equal(quotedRole("div", { id: "divRplyFwdMsg" }), "start");
  assert.equal(
    quotedRole("div", { style: "border:none;border-top:solid #E1E1E1 1.0pt;padding:3.0pt 0cm 0cm 0cm" }),
    "start",
  );
  assert.equal(quotedRole("div", { style: "border-top:1px solid red" }), null);
});

// The same marking parse-mail.ts does while sanitising.
const mark = (html: string) =>
  wrapQuotedStarts(
    sanitizeHtml(html, {
      allowedTags: ["div", "p", "b", "br", "hr", "blockquote", "img"],
      allowedAttributes: { "*": [QUOTED_ATTRIBUTE], img: ["src"] },
      allowedSchemesByTag: { img: ["cid"] },
      transformTags: {
        "*": (tagName, attribs) => {
          const role = quotedRole(tagName, attribs);
          return {
            tagName,
            attribs: role ? { ...attribs, [QUOTED_ATTRIBUTE]: role === "start" ? "start" : "true" } : attribs,
          };
        },
      },
    }),
  );

test("Outlook's header and everything after it in its section become one marked container", () => {
  const desktop = mark(
    '<div class="WordSection1"><p>New</p><div><div style="border:none;border-top:solid #E1E1E1 1.0pt;padding:3.0pt 0cm 0cm 0cm"><p><b>From:</b> S</p></div></div><p>Old</p></div>',
  );
  assert.equal(
    desktop,
    '<div><p>New</p><div data-sb-quoted="true"><div><div><p><b>From:</b> S</p></div></div><p>Old</p></div></div>',
  );
  assert.equal(withoutQuotedHtml(desktop), "<div><p>New</p></div>");

  const web = mark(
    '<div>New</div><div id="appendonsend"></div><hr><div id="divRplyFwdMsg"><b>From:</b> S</div><div>Old</div>',
  );
  assert.equal(
    web,
    '<div>New</div><div></div><div data-sb-quoted="true"><hr /><div><b>From:</b> S</div><div>Old</div></div>',
  );
  assert.equal(withoutQuotedHtml(web), "<div>New</div><div></div>");
});

test("marked containers are left out of the new HTML, unless nothing visible would be left", () => {
  const gmail = mark(
    '<div>New</div><div class="gmail_quote"><div>On … wrote:</div><blockquote type="cite">Old</blockquote></div>',
  );
  assert.equal(withoutQuotedHtml(gmail), "<div>New</div>");
  const onlyQuote = mark('<blockquote type="cite">Old</blockquote>');
  assert.equal(withoutQuotedHtml(onlyQuote), onlyQuote);
  const image = mark('<img src="cid:a" /><blockquote type="cite">Old</blockquote>');
  assert.equal(withoutQuotedHtml(image), '<img src="cid:a" />');
  assert.equal(withoutQuotedHtml("<p>No quote</p>"), "<p>No quote</p>");
});
