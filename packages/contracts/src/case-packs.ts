import { z } from 'zod';
import { AllocationRule } from './money-graph';

/**
 * A case pack (案件材料包) of one cluster (串并案件) for investigators and prosecutors: an xlsx workbook
 * (案件概况, 报案, 账户分层, 资金流水, 处置措施) and a PDF summary with the money-flow chart, in Chinese.
 */
export const CasePackParams = z.strictObject({ id: z.uuid().describe('The cluster') });
export type CasePackParams = z.infer<typeof CasePackParams>;

export const CasePackQuery = z.strictObject({
  rule: AllocationRule.default('fifo').describe(
    'The allocation rule of the trace (FIFO, LIFO or proportional); default FIFO',
  ),
});
export type CasePackQuery = z.infer<typeof CasePackQuery>;

export const casePackFormats = ['xlsx', 'pdf'] as const;
export type CasePackFormat = (typeof casePackFormats)[number];
