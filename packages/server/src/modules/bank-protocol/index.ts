export {
  createBankInstructionService,
  executedAtProblems,
  answerHash,
  type BankInstructionService,
  type InstructionSpec,
} from './bank-instructions.service';
export { toSignedInstruction } from './bank-instructions.view';
export type { BankInstructionRow, NewBankInstruction } from './bank-instructions.repository';
export { bankProtocolRoutes, IdempotencyHeaders } from './bank-protocol.routes';
