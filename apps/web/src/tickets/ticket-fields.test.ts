import assert from "node:assert/strict";
import { test } from "node:test";
import * as contracts from "@switchboard/contracts";
import * as app from "./ticket-fields.ts";

test("the app offers exactly the ticket field values the server accepts", () => {
  assert.deepEqual([...app.TICKET_STATUSES], [...contracts.TICKET_STATUSES]);
  assert.deepEqual([...app.TICKET_PRIORITIES], [...contracts.TICKET_PRIORITIES]);
  assert.deepEqual([...app.TICKET_TYPES], [...contracts.TICKET_TYPES]);
  assert.deepEqual([...app.TICKET_CHANNELS], [...contracts.TICKET_CHANNELS]);
});
