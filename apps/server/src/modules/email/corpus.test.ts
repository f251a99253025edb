import assert from "node:assert/strict";
import { readdir, readFile } from "node:fs/promises";
import { test } from "node:test";
import { buildCorpus, CORPUS_DIR } from "./fixtures/build-corpus.ts";
import {
  CORPUS,
  CORPUS_SEED_MESSAGE_ID,
  CORPUS_SUPPORT_ADDRESS,
  type TCorpusEntry,
  type TCorpusOutcome,
} from "./fixtures/corpus.ts";
import { parseMail, type TParsedMail } from "./parse-mail.ts";

test("the corpus has at least 40 messages, each file in the manifest and as build-corpus.ts writes it", async () => {
  assert.ok(CORPUS.length >= 40, `only ${CORPUS.length} messages`);
  const files = (await readdir(CORPUS_DIR)).filter((f) => f.endsWith(".eml")).sort();
  assert.deepEqual(files, CORPUS.map((e) => e.file).sort());
  const built = await buildCorpus();
  assert.equal(built.length, files.length);
  for (const { name, raw } of built) {
    assert.ok(
      raw.equals(await readFile(`${CORPUS_DIR}${name}.eml`)),
      `${name}.eml is stale: run build-corpus.ts`,
    );
  }
});

/**
 * The rules the ingestion pipeline follows, in order; here only to prove each manifest outcome agrees
 * with what parsing gives (the pipeline has its own tests against this corpus).
 */
function expectedOutcome(mail: TParsedMail): TCorpusOutcome {
  if (!mail.from) return "quarantine";
  if (mail.from.address === CORPUS_SUPPORT_ADDRESS) return "ignored_own";
  if (mail.isBounce) return "bounce";
  if (mail.automated) return "auto_reply";
  if (mail.references.includes(CORPUS_SEED_MESSAGE_ID)) return "reply";
  return "new_ticket";
}

function check(entry: TCorpusEntry, mail: TParsedMail) {
  const e = entry.expect;
  const at = (what: string) => `${entry.file}: ${what}`;
  assert.equal(mail.subject, e.subject, at("subject"));
  assert.equal(mail.from?.address ?? null, e.from, at("from"));
  if (e.fromName !== undefined) assert.equal(mail.from?.name, e.fromName, at("from name"));
  if (e.messageId !== undefined) assert.equal(mail.messageId, e.messageId, at("messageId"));
  assert.equal(mail.language, e.language, at("language"));
  assert.equal(mail.automated, e.automated, at("automated"));
  assert.equal(mail.isBounce, e.isBounce, at("isBounce"));
  if (e.isBounce) {
    assert.ok(mail.bounce && e.bounce, at("bounce report"));
    const { diagnosticContains, ...exact } = e.bounce;
    assert.deepEqual(
      {
        permanent: mail.bounce.permanent,
        recipients: mail.bounce.recipients,
        status: mail.bounce.status,
        originalMessageId: mail.bounce.originalMessageId,
      },
      exact,
      at("bounce"),
    );
    if (diagnosticContains) assert.ok(mail.bounce.diagnostic?.includes(diagnosticContains), at("diagnostic"));
  } else {
    assert.equal(mail.bounce, null, at("bounce"));
  }
  assert.deepEqual(
    mail.attachments.map((a) => a.filename),
    e.attachments.map((a) => a.filename),
    at("attachment names"),
  );
  e.attachments.forEach((expected, i) => {
    const actual = mail.attachments[i];
    if (expected.contentType !== undefined)
      assert.equal(actual?.contentType, expected.contentType, at("type"));
    if (expected.inline !== undefined) assert.equal(actual?.inline, expected.inline, at("inline"));
    if (expected.contentId !== undefined)
      assert.equal(actual?.contentId, expected.contentId, at("contentId"));
    assert.ok((actual?.size ?? 0) > 0, at(`${expected.filename} has content`));
  });
  if (e.references) assert.deepEqual(mail.references, e.references, at("references"));
  if (e.to) assert.deepEqual(mail.to, e.to, at("to"));
  if (e.cc) assert.deepEqual(mail.cc, e.cc, at("cc"));
  if (e.toCount !== undefined) assert.equal(mail.to.length, e.toCount, at("to count"));
  const addressed = [...mail.to, ...mail.cc].some((a) => a.address === CORPUS_SUPPORT_ADDRESS);
  assert.equal(addressed, e.addressedToSupport ?? true, at("addressed to support"));

  for (const s of e.textContains ?? []) assert.ok(mail.text.includes(s), at(`text contains ${s}`));
  for (const s of e.newTextContains ?? []) assert.ok(mail.newText.includes(s), at(`newText contains ${s}`));
  for (const s of e.newTextExcludes ?? []) assert.ok(!mail.newText.includes(s), at(`newText lacks ${s}`));
  if (e.newText !== undefined) assert.equal(mail.newText, e.newText, at("newText"));
  assert.ok(mail.text.includes(mail.newText.split("\n")[0] ?? ""), at("newText comes from text"));
  if (e.quotedText === null) assert.equal(mail.quotedText, null, at("no quoted history"));
  for (const s of e.quotedText ?? []) assert.ok(mail.quotedText?.includes(s), at(`quotedText contains ${s}`));

  if (e.html === "none") {
    assert.equal(mail.html, null, at("html"));
    assert.equal(mail.newHtml, null, at("newHtml"));
  } else {
    assert.ok(mail.html !== null && mail.newHtml !== null, at("html present"));
    for (const s of e.htmlContains ?? []) assert.ok(mail.html.includes(s), at(`html contains ${s}`));
    for (const s of e.htmlExcludes ?? []) assert.ok(!mail.html.includes(s), at(`html lacks ${s}`));
    for (const s of e.newHtmlContains ?? []) assert.ok(mail.newHtml.includes(s), at(`newHtml contains ${s}`));
    for (const s of e.newHtmlExcludes ?? []) assert.ok(!mail.newHtml.includes(s), at(`newHtml lacks ${s}`));
    // A split HTML mail has a marked container and newHtml is what is left without it.
    if (mail.quotedText !== null && mail.html.includes('data-sb-quoted="true"')) {
      assert.ok(mail.newHtml.length < mail.html.length, at("newHtml is shorter"));
      assert.ok(!mail.newHtml.includes("data-sb-quoted"), at("newHtml has no quoted container"));
    }
  }
  assert.equal(expectedOutcome(mail), entry.outcome, at("outcome"));
}

for (const entry of CORPUS) {
  test(`corpus ${entry.file}: ${entry.description}`, async () => {
    const mail = await parseMail(await readFile(`${CORPUS_DIR}${entry.file}`));
    check(entry, mail);
  });
}

test("the corpus covers every outcome and all five languages", () => {
  const outcomes = new Set(CORPUS.map((e) => e.outcome));
  for (const o of ["new_ticket", "reply", "bounce", "auto_reply", "ignored_own", "quarantine"] as const) {
    assert.ok(outcomes.has(o), o);
  }
  for (const language of ["en", "ro", "pl", "bg", "fa"] as const) {
    const autoReplies = CORPUS.filter((e) => e.outcome === "auto_reply" && e.expect.language === language);
    const replies = CORPUS.filter((e) => e.outcome === "reply" && e.expect.language === language);
    assert.ok(autoReplies.length > 0 && replies.length > 0, `auto-reply and reply in ${language}`);
  }
});
