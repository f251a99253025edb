import { z } from "zod";
import type { TJobDefinition } from "../../jobs/job-queue.ts";

/**
 * Turns stored inbound emails (those stored together) into tickets or messages. Mail is processed
 * in-process right after it is stored, so the job is the backstop: no NOTIFY, it waits.
 */
export const INBOUND_JOB: TJobDefinition<{ workspaceId: string; inboundIds: string[] }> = {
  name: "email-inbound",
  payload: z.strictObject({ workspaceId: z.uuid(), inboundIds: z.array(z.uuid()).min(1).max(1000) }),
  expireInSeconds: 120,
  notify: false,
};

/** Sends one outgoing email; its own row says whether it was sent already. */
export const SEND_JOB: TJobDefinition<{ workspaceId: string; outboundId: string }> = {
  name: "email-send",
  payload: z.strictObject({ workspaceId: z.uuid(), outboundId: z.uuid() }),
  expireInSeconds: 300,
};
