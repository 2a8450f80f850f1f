export { appendAudit, listAudit, sealAudit, verifyAudit, type AuditRecord } from './audit.repository';
export { auditEntry, type AuditContext } from './audit-context';
export { auditRoutes } from './audit.routes';
export { installFailureAudit } from './audit-failures';
export { createAuditSealer } from './audit-sealer';
export { createAuditCheckpointer } from './audit-checkpointer';
export {
  checkpointAudit,
  listCheckpointKeys,
  listCheckpoints,
  verifyCheckpoints,
  type CheckpointVerification,
} from './audit-checkpoints.repository';
export {
  checkpointFileLines,
  CheckpointFileError,
  parseCheckpointFile,
  type AuditCheckpoint,
  type CheckpointKey,
} from './audit-checkpoint';
