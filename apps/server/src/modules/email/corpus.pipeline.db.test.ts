import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, before, test } from "node:test";
import type { TInboundEmail } from "@switchboard/contracts";
import { newId } from "../../lib/ids.ts";
import { createMailTestApp, type TMailTestApp, waitFor } from "../../test/mail-harness.ts";
import { call } from "../../test/test-app.ts";
import {
  CORPUS,
  CORPUS_SEED_MESSAGE_ID,
  CORPUS_SUPPORT_ADDRESS,
  type TCorpusOutcome,
} from "./fixtures/corpus.ts";

/**
 * Every fixture of the corpus, delivered over SMTP to a running pipeline, ends as its manifest says:
 * a new ticket, a reply on the seeded ticket, a bounce on it, an automated mail without an
 * acknowledgement, our own mail ignored, or the quarantine.
 */
const CORPUS_DIR = path.join(import.meta.dirname, "fixtures", "corpus");
let t: TMailTestApp;
let seedTicketId: string;

before(async () => {
  t = await createMailTestApp();
  await t.services.supportAddresses.createAddress(t.tenant.owner, t.tenant.brandA, {
    address: CORPUS_SUPPORT_ADDRESS,
    displayName: "Support",
    isDefault: false,
  });
  const created = await call(t.app, t.tenant.ownerToken, "POST", "/api/v1/tickets", {
    brandId: t.tenant.brandA,
    subject: "Seed",
    requester: { email: "seed-customer@corpus.example" },
    message: { body: "The ticket the corpus replies to" },
  });
  seedTicketId = created.json().ticket.id;
  // As if we had mailed <seed-1@...> about it: replies and bounces name that Message-ID.
  const now = new Date();
  await t.database.db
    .insertInto("outbound_emails")
    .values({
      workspace_id: t.tenant.owner.workspaceId,
      id: newId(),
      brand_id: t.tenant.brandA,
      ticket_id: seedTicketId,
      ticket_message_id: null,
      kind: "reply",
      message_id: CORPUS_SEED_MESSAGE_ID,
      to_address: "seed-customer@corpus.example",
      state: "sent",
      created_at: now,
      updated_at: now,
    })
    .execute();
  await t.database.db
    .insertInto("email_message_ids")
    .values({
      workspace_id: t.tenant.owner.workspaceId,
      brand_id: t.tenant.brandA,
      message_id: CORPUS_SEED_MESSAGE_ID,
      ticket_id: seedTicketId,
      direction: "outbound",
      created_at: now,
    })
    .execute();
});
after(() => t.close());

const matches: Record<TCorpusOutcome, (r: TInboundEmail) => boolean> = {
  new_ticket: (r) => r.state === "processed" && r.outcome === "new_ticket" && r.ticketId !== seedTicketId,
  reply: (r) => r.state === "processed" && r.outcome === "references" && r.ticketId === seedTicketId,
  bounce: (r) => r.outcome === "bounce" && r.ticketId === seedTicketId,
  auto_reply: (r) => r.state === "processed" && r.ticketId !== null,
  ignored_own: (r) => r.state === "ignored" && r.outcome === "own_address",
  quarantine: (r) => r.state === "quarantined" && Boolean(r.error),
};

test("each corpus mail ends as its manifest says", async () => {
  const ids: string[] = [];
  for (const entry of CORPUS) {
    const raw = fs.readFileSync(path.join(CORPUS_DIR, entry.file));
    const answered = () => t.catcher.caught.filter((m) => m.to.includes(entry.expect.from ?? "")).length;
    const answeredBefore = answered();
    await t.deliver(raw, { from: "mta@corpus.example", to: [CORPUS_SUPPORT_ADDRESS] });
    const before = ids.length;
    const record = await waitFor(`${entry.file} to be processed`, async () => {
      const res = await call(t.app, t.tenant.ownerToken, "GET", "/api/v1/inbound-emails?limit=5");
      return (res.json().items as TInboundEmail[]).find((i) => !ids.includes(i.id) && i.state !== "received");
    });
    ids.push(record.id);
    assert.equal(ids.length, before + 1);
    assert.ok(
      matches[entry.outcome](record),
      `${entry.file} (${entry.description}): expected ${entry.outcome}, got ${record.state}/${record.outcome} ticket=${record.ticketId} error=${record.error}`,
    );
    if (entry.outcome === "auto_reply" && entry.expect.from) {
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(
        answered(),
        answeredBefore,
        `${entry.file}: an automated mail must never get an automatic answer`,
      );
    }
  }
  assert.equal(ids.length, CORPUS.length);
  const tickets = await call(t.app, t.tenant.ownerToken, "GET", "/api/v1/tickets?limit=100&channel=email");
  const subjects = (tickets.json().items as { subject: string }[]).map((x) => x.subject);
  assert.ok(
    !subjects.some((s) => /undeliver|delivery status|returned mail|failure notice/i.test(s)),
    "no ticket from a bounce",
  );
});
