export {
  createBankInstructionService,
  executedAtProblems,
  answerHash,
  toSignedInstruction,
  type BankInstructionService,
  type InstructionSpec,
} from './bank-instructions.service';
export type { BankInstructionRow, NewBankInstruction } from './bank-instructions.repository';
export { bankProtocolRoutes, checkBankSignature, IdempotencyHeaders } from './bank-protocol.routes';
