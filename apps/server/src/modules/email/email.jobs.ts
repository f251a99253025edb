import { z } from "zod";
import type { TJobDefinition } from "../../jobs/job-queue.ts";

/** Turns one stored inbound email into a ticket or message. */
export const INBOUND_JOB: TJobDefinition<{ workspaceId: string; inboundId: string }> = {
  name: "email-inbound",
  payload: z.strictObject({ workspaceId: z.uuid(), inboundId: z.uuid() }),
  expireInSeconds: 120,
};

/** Sends one outgoing email; its own row says whether it was sent already. */
export const SEND_JOB: TJobDefinition<{ workspaceId: string; outboundId: string }> = {
  name: "email-send",
  payload: z.strictObject({ workspaceId: z.uuid(), outboundId: z.uuid() }),
  expireInSeconds: 300,
};
