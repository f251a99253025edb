import type { TAttachment, TAuditEvent, TMessage, TThreadRule, TTicket } from "@switchboard/contracts";
import type { Selectable } from "kysely";
import type { AuditEventsTable } from "../../db/schema.ts";
import type { TMessageView, TTicketView } from "./tickets.repository.ts";

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export const displayNumber = (number: number) => `#${number}`;

export const toTicketDto = (row: TTicketView): TTicket => ({
  id: row.id,
  number: Number(row.number),
  displayNumber: displayNumber(Number(row.number)),
  brandId: row.brand_id,
  subject: row.subject,
  status: row.status,
  priority: row.priority,
  type: row.type,
  channel: row.channel,
  category: row.category_key,
  requester: { id: row.requester_id, name: row.requester_name, email: row.requester_email },
  assigneeId: row.assignee_id,
  groupId: row.group_id,
  tags: row.tags,
  ccs: row.ccs,
  followerIds: row.follower_ids,
  dueAt: iso(row.due_at),
  customFields: row.custom_fields,
  orderNumber: row.order_number,
  isSpam: row.is_spam,
  mergedIntoId: row.merged_into_id,
  createdAt: row.created_at.toISOString(),
  updatedAt: row.updated_at.toISOString(),
  solvedAt: iso(row.solved_at),
  closedAt: iso(row.closed_at),
});

export const toMessageDto = (row: TMessageView, attachments: TAttachment[]): TMessage => ({
  id: row.id,
  ticketId: row.ticket_id,
  kind: row.kind,
  channel: row.channel,
  author: row.author_user_id
    ? { type: "user", id: row.author_user_id, name: row.author_user_name }
    : row.author_customer_id
      ? { type: "customer", id: row.author_customer_id, name: row.author_customer_name }
      : { type: "system", id: null, name: null },
  bodyText: row.body_text,
  bodyHtml: row.body_html,
  event: row.event,
  attachments,
  mentionIds: row.mention_ids,
  email:
    row.email_message_id || row.inbound_email_id || row.delivery_state
      ? {
          messageId: row.email_message_id,
          threadRule: row.thread_rule as TThreadRule | null,
          inboundEmailId: row.inbound_email_id,
          quotedText: row.quoted_text,
          delivery: row.delivery_state
            ? {
                state: row.delivery_state,
                error: row.delivery_error,
                sentAt: row.delivery_sent_at?.toISOString() ?? null,
              }
            : null,
        }
      : null,
  createdAt: row.created_at.toISOString(),
});

export const toAuditDto = (row: Selectable<AuditEventsTable>): TAuditEvent => ({
  id: row.id,
  action: row.action,
  actor: { type: row.actor_type, id: row.actor_id },
  changes: row.changes,
  createdAt: row.created_at.toISOString(),
});
