export {
  diffFields,
  listAudit,
  recordAudit,
  type TAuditActor,
  type TAuditEntry,
} from "./audit.repository.ts";
